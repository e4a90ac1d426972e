"""Bulk export and import of service entries, as JSON or CSV.

CSV has one column per entry field (``FIELDS``) plus ``state`` and ``revision``; nested fields
(lists and mappings) are JSON text inside their cell. On import, ``state`` is ignored and
``revision``, when given, must still be the entry's latest revision, so a file exported before
someone else's change cannot undo it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from life_experiences.errors import Problem
from services_index.editing import StaffEntry
from services_index.entries import FIELDS, OPTIONAL, canonical, changed_fields

META_COLUMNS = ("state", "revision")
CSV_COLUMNS = (*FIELDS, *META_COLUMNS)
REQUIRED_COLUMNS = (
    "id",
    "name",
    "agency",
    "summary",
    "life_experiences",
    "eligibility",
    "apply",
    "cost",
    "processing_time",
    "source_url",
    "last_verified",
)
JSON_CELLS: dict[str, type] = {
    "life_experiences": list,
    "eligibility": dict,
    "apply": dict,
    "forms": list,
    "documents": list,
    "deadline": dict,
    "keywords": dict,
}
TRUE = {"true", "yes", "1"}
FALSE = {"false", "no", "0", ""}
FORMAT = "navigator-services/1"
# Spreadsheets run cells that start with these as formulas; such cells get a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """A CSV cell that a spreadsheet shows as text instead of running it as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def read_cell(text: str) -> str:
    """A cell's value, without the apostrophe ``safe_cell`` added."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


@dataclass(frozen=True)
class Record:
    """One exported entry: its state, revision and data."""

    state: str
    revision: int
    entry: dict[str, Any]


def records(
    entries: Iterable[StaffEntry], published: Mapping[str, tuple[int, dict[str, Any]]], scope: str
) -> list[Record]:
    """The entries to export: what the public sees (``published``), or every working copy (``all``)."""
    found = []
    for entry in entries:
        if scope == "all":
            found.append(Record(entry.state, entry.revision, canonical(entry.data)))
        elif entry.state == "published" and entry.id in published:
            revision, data = published[entry.id]
            found.append(Record("published", revision, canonical(data)))
    return sorted(found, key=lambda r: str(r.entry.get("id")))


def to_json(found: list[Record], scope: str, exported_at: str) -> str:
    """Records as a JSON document."""
    document = {
        "format": FORMAT,
        "scope": scope,
        "exported_at": exported_at,
        "services": [{"state": r.state, "revision": r.revision, "entry": r.entry} for r in found],
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def to_csv(found: list[Record]) -> str:
    """Records as CSV text, nested fields as JSON text in their cells."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for record in found:
        row: dict[str, Any] = {"state": record.state, "revision": record.revision}
        for key in FIELDS:
            value = record.entry.get(key)
            if key in JSON_CELLS:
                empty = value is None or (key in OPTIONAL and value in ([], {}))
                row[key] = "" if empty else json.dumps(value, ensure_ascii=False)
            elif key == "english_only":
                row[key] = "true" if value else "false"
            else:
                row[key] = "" if value is None else safe_cell(str(value))
        writer.writerow(row)
    return out.getvalue()


@dataclass(frozen=True)
class Row:
    """One entry read from an import file, with where it was found."""

    where: str
    entry: dict[str, Any]
    revision: int | None = None


def read(data: bytes, filename: str) -> tuple[list[Row], list[str]]:
    """The entries in an uploaded JSON or CSV file, or a problem per thing wrong with the file."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], [
            f"The file is not UTF-8 text (byte 0x{data[exc.start]:02X} at position {exc.start}). "
            "Save it as UTF-8 and try again."
        ]
    if "\x00" in text:
        return [], ["The file holds binary data, not JSON or CSV text."]
    lower = filename.lower()
    if lower.endswith(".json") or (not lower.endswith(".csv") and text.lstrip()[:1] in ("[", "{")):
        return _read_json(text)
    return _read_csv(text)


def _read_json(text: str) -> tuple[list[Row], list[str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."]
    if isinstance(data, dict) and isinstance(data.get("services"), list):
        data = data["services"]
    if not isinstance(data, list):
        return [], ['The JSON must be a list of entries, or an export with a "services" list.']
    rows, problems = [], []
    for number, item in enumerate(data, start=1):
        where = f"entry {number}"
        revision = None
        if isinstance(item, dict) and isinstance(item.get("entry"), dict):
            revision = item.get("revision")
            if revision is not None and (not isinstance(revision, int) or isinstance(revision, bool)):
                problems.append(f"{where}, field 'revision': must be a whole number")
                continue
            item = item["entry"]
        if not isinstance(item, dict):
            problems.append(f"{where}: must be an object with the entry's fields")
            continue
        rows.append(Row(where, item, revision))
    return rows, problems


def _read_csv(text: str) -> tuple[list[Row], list[str]]:
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        return [], [f"The file is not valid CSV ({exc})."]
    if not table or not any(table[0]):
        return [], ["The file is empty: the first row must name the columns."]
    header = [h.strip() for h in table[0]]
    problems = []
    unknown = [h for h in header if h not in CSV_COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    repeated = sorted({h for h in header if header.count(h) > 1})
    if unknown:
        problems.append(f"Unknown columns: {', '.join(unknown)}. The columns are: {', '.join(CSV_COLUMNS)}.")
    if missing:
        problems.append(f"Missing columns: {', '.join(missing)}.")
    if repeated:
        problems.append(f"Columns named twice: {', '.join(repeated)}.")
    if problems:
        return [], problems
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        where = f"row {number}"
        if len(cells) != len(header):
            problems.append(f"{where}: has {len(cells)} cells, but there are {len(header)} columns")
            continue
        row, row_problems = _entry_from_cells(dict(zip(header, cells, strict=True)), where)
        problems += row_problems
        if row is not None:
            rows.append(row)
    return rows, problems


def _entry_from_cells(cells: dict[str, str], where: str) -> tuple[Row | None, list[str]]:
    """One CSV row as an entry, decoding nested fields from JSON text."""
    entry: dict[str, Any] = {}
    problems = []
    for key in FIELDS:
        if key not in cells:
            continue
        text = read_cell(cells[key].strip())
        if key in JSON_CELLS:
            if not text:
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                problems.append(
                    f"{where}, field '{key}': not valid JSON ({exc.msg} at character {exc.pos + 1})"
                )
                continue
            wanted = JSON_CELLS[key]
            if not isinstance(value, wanted):
                kind = "a JSON list [...]" if wanted is list else "a JSON object {...}"
                problems.append(f"{where}, field '{key}': must be {kind}")
                continue
            entry[key] = value
        elif key == "english_only":
            if text.lower() not in TRUE | FALSE:
                problems.append(f"{where}, field 'english_only': must be true or false, got {text!r}")
                continue
            entry[key] = text.lower() in TRUE
        elif text:
            entry[key] = text
    revision = None
    raw_revision = cells.get("revision", "").strip()
    if raw_revision:
        if not raw_revision.isdigit():
            problems.append(f"{where}, field 'revision': must be a whole number, got {raw_revision!r}")
        else:
            revision = int(raw_revision)
    if problems:
        return None, problems
    return Row(where, entry, revision), []


@dataclass
class ImportPlan:
    """What an import would do: entries added, changed (with their fields) and unchanged, or problems."""

    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    bases: dict[str, int | None] = field(default_factory=dict)

    def summary(self) -> str:
        """One line: how many entries each way."""
        return f"{len(self.added)} to add, {len(self.changed)} to change, {len(self.unchanged)} unchanged" + (
            f", {len(self.problems)} problem(s)" if self.problems else ""
        )


def plan(
    rows: list[Row],
    current: Mapping[str, StaffEntry],
    problems_of: Callable[[dict[str, Any]], list[Problem]],
    editable_agencies: Collection[str] | None,
) -> ImportPlan:
    """Check every row and say what importing it would change; any problem means nothing is written.

    ``editable_agencies`` limits which agencies' entries may be imported (None: any).
    """
    result = ImportPlan()
    seen: dict[str, str] = {}
    for row in rows:
        entry = canonical(row.entry)
        service_id = entry.get("id")
        label = f"{row.where} ({service_id})" if isinstance(service_id, str) else row.where
        row_problems = [f"{label}, field '{p.field}': {p.message}" for p in problems_of(entry)]
        if isinstance(service_id, str):
            if service_id in seen:
                row_problems.append(f"{label}, field 'id': the same id as {seen[service_id]}")
            seen.setdefault(service_id, row.where)
        existing = current.get(service_id) if isinstance(service_id, str) else None
        if editable_agencies is not None:
            for agency in {entry.get("agency"), existing.agency if existing else None} - {None}:
                if agency not in editable_agencies:
                    row_problems.append(
                        f"{label}, field 'agency': you can import only entries of "
                        f"{', '.join(sorted(editable_agencies)) or 'no agency'}, not {agency!r}"
                    )
        if existing and row.revision is not None and row.revision != existing.revision:
            row_problems.append(
                f"{label}, field 'revision': the file has revision {row.revision}, but the index has "
                f"revision {existing.revision}; someone changed it since. Export again and redo your changes."
            )
        if row_problems:
            result.problems += row_problems
            continue
        assert isinstance(service_id, str)
        if existing is None:
            result.added.append(service_id)
        else:
            fields = changed_fields(existing.data, entry)
            if not fields:
                result.unchanged.append(service_id)
                continue
            result.changed.append((service_id, fields))
        result.entries.append(entry)
        result.bases[service_id] = existing.revision if existing else None
    return result
