"""Import the Federal Program Inventory (SAM.gov Assistance Listings) as non-curated entries.

The import is all or nothing: every record is checked first, and problems name the record
and the field. Re-importing the same file changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services_index.files import read_json_list

LISTING = re.compile(r"^[0-9A-Z]{2}\.[0-9A-Z]{3}$")
TEXT_FIELDS = ("title", "agency")
OPTIONAL_TEXT = ("objective", "popular_name", "sub-agency", "program_type", "fiscal_year", "sam_url")
LIST_FIELDS = ("applicant_types", "beneficiary_types", "assistance_types", "categories")
# Beneficiary types that are people: such programs are offered to the public in search.
PEOPLE = {
    "Individual/Family",
    "Anyone/general public",
    "Low Income",
    "Moderate Income",
    "Senior Citizen (60+)",
    "Disabled (e.g. Deaf, Blind, Physically Disabled)",
    "Mentally Disabled",
    "Unemployed",
    "Women",
    "Veteran/Service person/Reservist (including dependents",
    "Student/Trainee",
    "Child (6-15)",
    "Youth (16-21)",
    "Infant (0-5)",
    "Preschool",
    "Pregnant Woman",
    "U.S. Citizen",
    "Homeowner",
    "Farmer/Rancher/Agriculture Producer",
    "Small Business Person",
    "Refugee/Alien",
    "Migrant",
    "Welfare Recipient",
    "Pension Recipient",
    "Consumer",
    "Land/Property Owner",
    "American Indian",
    "Education (13+)",
    "Graduate Student",
    "Physically Afflicted (e.g. TB, Arthritis, Heart Disease)",
}
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Program:
    """One Assistance Listing: a federal program, not curated by staff."""

    listing: str
    title: str
    popular_name: str
    agency: str
    sub_agency: str
    program_type: str
    fiscal_year: str
    objective: str
    applicant_types: tuple[str, ...]
    beneficiary_types: tuple[str, ...]
    assistance_types: tuple[str, ...]
    categories: tuple[str, ...]
    sam_url: str

    @property
    def public(self) -> bool:
        """True when the program's beneficiaries include people, so the public can find it."""
        return bool(PEOPLE.intersection(self.beneficiary_types))

    def row(self) -> dict[str, Any]:
        """The database row for this program (without the import time)."""
        row: dict[str, Any] = {
            "listing": self.listing,
            "title": self.title,
            "popular_name": self.popular_name,
            "agency": self.agency,
            "sub_agency": self.sub_agency,
            "program_type": self.program_type,
            "fiscal_year": self.fiscal_year,
            "objective": self.objective,
            "applicant_types": json.dumps(list(self.applicant_types)),
            "beneficiary_types": json.dumps(list(self.beneficiary_types)),
            "assistance_types": json.dumps(list(self.assistance_types)),
            "categories": json.dumps(list(self.categories)),
            "sam_url": self.sam_url,
            "public": int(self.public),
        }
        row["data_hash"] = hashlib.sha256(json.dumps(row, sort_keys=True).encode()).hexdigest()
        return row


@dataclass
class ImportReport:
    """What an import did, or would do with --dry-run."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    public: int = 0

    def summary(self) -> str:
        """One plain line for the command's output."""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {self.unchanged} unchanged, "
            f"{self.public} offered to the public, {len(self.problems)} problem(s)"
        )


def read(path: Path) -> tuple[list[Program], list[str]]:
    """Read and check a file in the inventory's JSON format; problems name record and field."""
    data, problems = read_json_list(path, MAX_FILE_BYTES, "program records")
    if problems:
        return [], problems
    programs: list[Program] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(data, start=1):
        where = f"record {index}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: must be an object")
            continue
        listing = raw.get("cfda")
        if isinstance(listing, str):
            where = f"record {index} ({listing})"
        if not isinstance(listing, str) or not LISTING.match(listing):
            problems.append(f"{where}, field 'cfda': must be an Assistance Listing number like 10.551")
            continue
        if listing in seen:
            problems.append(f"{where}, field 'cfda': duplicate of record {seen[listing]}")
            continue
        seen[listing] = index
        bad = False
        for key in TEXT_FIELDS:
            if not isinstance(raw.get(key), str) or (key == "title" and not raw[key].strip()):
                problems.append(f"{where}, field '{key}': must be text")
                bad = True
        for key in OPTIONAL_TEXT:
            if raw.get(key) is not None and not isinstance(raw[key], str):
                problems.append(f"{where}, field '{key}': must be text")
                bad = True
        for key in LIST_FIELDS:
            value = raw.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f"{where}, field '{key}': must be a list of text")
                bad = True
        if bad:
            continue
        programs.append(
            Program(
                listing=listing,
                title=raw["title"].strip(),
                popular_name=raw.get("popular_name") or "",
                agency=raw["agency"],
                sub_agency=raw.get("sub-agency") or "",
                program_type=raw.get("program_type") or "",
                fiscal_year=raw.get("fiscal_year") or "",
                objective=raw.get("objective") or "",
                applicant_types=tuple(raw.get("applicant_types", [])),
                beneficiary_types=tuple(raw.get("beneficiary_types", [])),
                assistance_types=tuple(dict.fromkeys(raw.get("assistance_types", []))),
                categories=tuple(raw.get("categories", [])),
                sam_url=raw.get("sam_url") or "",
            )
        )
    return programs, problems
