"""Read the USA.gov A-Z agency directory (its JSON export) into agency records."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from services_index.files import read_json_list

MAX_FILE_BYTES = 16 * 1024 * 1024
NOTE = re.compile(r"\s*\(.*\)\s*$")


@dataclass(frozen=True)
class DirectoryAgency:
    """One agency as the directory lists it."""

    id: str
    name: str
    website: str
    phone: str
    tty: str


def slug(name: str) -> str:
    """A stable kebab-case id from an agency name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _first_number(values: object) -> str:
    """The first phone number in a directory list, without notes such as "(for passports)"."""
    if not isinstance(values, list):
        return ""
    for value in values:
        if isinstance(value, str) and value.strip():
            return NOTE.sub("", value).strip()
    return ""


def read(path: Path) -> tuple[list[DirectoryAgency], list[str]]:
    """Read the directory file; problems name the record and the field."""
    data, problems = read_json_list(path, MAX_FILE_BYTES, "agencies")
    if problems:
        return [], problems
    found: list[DirectoryAgency] = []
    ids: dict[str, int] = {}
    for index, raw in enumerate(data, start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
            problems.append(f"record {index}, field 'name': every agency needs a name")
            continue
        name = raw["name"].strip()
        websites = raw.get("website") or []
        if not isinstance(websites, list):
            problems.append(f"record {index} ({name}), field 'website': must be a list")
            continue
        website = next((w.get("link", "") for w in websites if isinstance(w, dict) and w.get("link")), "")
        agency_id = slug(name)
        if agency_id in ids:
            # The directory lists a few agencies twice; the first entry wins.
            continue
        ids[agency_id] = index
        phone = _first_number(raw.get("toll-free_number")) or _first_number(raw.get("phone_number"))
        found.append(
            DirectoryAgency(
                agency_id,
                name,
                website.replace("http://", "https://", 1),
                phone,
                _first_number(raw.get("tty")),
            )
        )
    return found, problems
