"""Bulk files: export as JSON and CSV, read them back, and check imports row by row."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from life_experiences.errors import Problem
from services_index import transfer
from services_index.editing import StaffEntry

ENTRY: dict[str, Any] = {
    "id": "example-benefit",
    "name": "Example benefit",
    "agency": "ssa",
    "summary": "You may be able to get it.",
    "life_experiences": ["retirement"],
    "eligibility": {"all": [{"q": "date_of_birth", "age_at_least": 62, "label": "62 or older"}]},
    "apply": {"online": "https://www.ssa.gov/apply"},
    "cost": "Free",
    "processing_time": "About 6 weeks",
    "source_url": "https://www.ssa.gov/retirement",
    "last_verified": "2026-11-01",
    "english_only": False,
    "keywords": {"en": ["retire"], "es": ["jubilación"]},
}


def staff_entry(data: dict[str, Any], revision: int = 3, state: str = "published") -> StaffEntry:
    return StaffEntry(data["id"], data["name"], data["agency"], state, revision, revision, "", "", data)


def no_problems(entry: dict[str, Any]) -> list[Problem]:
    return []


def csv_text(rows: list[dict[str, str]], columns: tuple[str, ...] = transfer.CSV_COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def exported_rows() -> list[dict[str, str]]:
    text = transfer.to_csv([transfer.Record("published", 3, ENTRY)])
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_round_trip_gives_back_the_same_entry() -> None:
    text = transfer.to_csv([transfer.Record("published", 3, ENTRY)])
    header = text.splitlines()[0].split(",")
    assert header == list(transfer.CSV_COLUMNS)
    rows, problems = transfer.read(text.encode(), "services.csv")
    assert problems == []
    assert rows[0].entry == transfer.canonical(ENTRY) and rows[0].revision == 3
    plan = transfer.plan(rows, {"example-benefit": staff_entry(ENTRY)}, no_problems, None)
    assert plan.unchanged == ["example-benefit"] and not plan.entries


def test_nested_fields_are_json_text_in_their_cells() -> None:
    row = exported_rows()[0]
    assert json.loads(row["eligibility"]) == ENTRY["eligibility"]
    assert json.loads(row["keywords"]) == ENTRY["keywords"]
    assert row["english_only"] == "false" and row["deadline"] == ""


def test_json_round_trip_and_plain_lists_of_entries() -> None:
    text = transfer.to_json([transfer.Record("draft", 2, ENTRY)], "all", "2026-11-22T00:00:00+00:00")
    document = json.loads(text)
    assert document["services"][0] == {"state": "draft", "revision": 2, "entry": transfer.canonical(ENTRY)}
    rows, problems = transfer.read(text.encode(), "export.json")
    assert problems == [] and rows[0].revision == 2
    plain, problems = transfer.read(json.dumps([ENTRY]).encode(), "seed.json")
    assert problems == [] and plain[0].revision is None and plain[0].where == "entry 1"


def test_a_formula_in_a_cell_is_written_as_text_and_read_back_unchanged() -> None:
    risky = {**ENTRY, "cost": '=HYPERLINK("http://evil.example")'}
    text = transfer.to_csv([transfer.Record("published", 1, risky)])
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["cost"].startswith("'=")
    rows, _ = transfer.read(text.encode(), "x.csv")
    assert rows[0].entry["cost"] == risky["cost"]


def test_changes_are_listed_with_their_fields_and_new_entries_as_added() -> None:
    changed = {**ENTRY, "cost": "$5", "summary": "New words."}
    new = {**ENTRY, "id": "another-benefit"}
    rows, _ = transfer.read(json.dumps([changed, new]).encode(), "x.json")
    plan = transfer.plan(rows, {"example-benefit": staff_entry(ENTRY)}, no_problems, None)
    assert plan.added == ["another-benefit"]
    assert plan.changed == [("example-benefit", ["summary", "cost"])]
    assert plan.bases == {"example-benefit": 3, "another-benefit": None}
    assert "1 to add, 1 to change, 0 unchanged" in plan.summary()


def test_not_utf8_is_refused_with_the_byte_that_is_wrong() -> None:
    rows, problems = transfer.read("id,name\nsnap,Caf\xe9\n".encode("latin-1"), "x.csv")
    assert rows == [] and "not UTF-8" in problems[0] and "0xE9" in problems[0]


def test_binary_and_broken_json_are_refused() -> None:
    assert "binary" in transfer.read(b"\x00\x01PK", "x.csv")[1][0]
    assert "not valid JSON (line 1" in transfer.read(b'[{"id": ', "x.json")[1][0]
    assert "must be a list" in transfer.read(b'{"id": "x"}', "x.json")[1][0]


def test_wrong_columns_are_named() -> None:
    rows = exported_rows()
    for row in rows:
        row["colour"] = "blue"
    columns = (*transfer.CSV_COLUMNS, "colour")
    problems = transfer.read(csv_text(rows, columns), "x.csv")[1]
    assert problems and "Unknown columns: colour" in problems[0]
    missing = tuple(c for c in transfer.CSV_COLUMNS if c != "summary")
    problems = transfer.read(
        csv_text([{k: v for k, v in exported_rows()[0].items() if k != "summary"}], missing), "x.csv"
    )[1]
    assert "Missing columns: summary" in problems[0]


@pytest.mark.parametrize(
    ("column", "value", "says"),
    [
        ("eligibility", "{not json", "row 2, field 'eligibility': not valid JSON"),
        ("life_experiences", '"retirement"', "row 2, field 'life_experiences': must be a JSON list"),
        ("apply", "[]", "row 2, field 'apply': must be a JSON object"),
        ("english_only", "perhaps", "row 2, field 'english_only': must be true or false"),
        ("revision", "three", "row 2, field 'revision': must be a whole number"),
    ],
)
def test_wrong_types_are_named_by_row_and_field(column: str, value: str, says: str) -> None:
    rows = exported_rows()
    rows[0][column] = value
    problems = transfer.read(csv_text(rows), "x.csv")[1]
    assert any(says in p for p in problems), problems


def test_duplicate_ids_stale_revisions_and_other_agencies_are_problems() -> None:
    other = {**ENTRY, "id": "va-thing", "agency": "va"}
    rows, _ = transfer.read(json.dumps([ENTRY, ENTRY, other]).encode(), "x.json")
    plan = transfer.plan(rows, {}, no_problems, {"ssa"})
    assert any("entry 2 (example-benefit), field 'id': the same id as entry 1" in p for p in plan.problems)
    assert any(
        "entry 3 (va-thing), field 'agency': you can import only entries of ssa" in p for p in plan.problems
    )
    stale, _ = transfer.read(transfer.to_csv([transfer.Record("published", 2, ENTRY)]).encode(), "x.csv")
    plan = transfer.plan(stale, {"example-benefit": staff_entry(ENTRY, revision=4)}, no_problems, None)
    assert "file has revision 2, but the index has revision 4" in plan.problems[0]


def test_content_problems_name_the_row_and_field() -> None:
    def unknown_agency(entry: dict[str, Any]) -> list[Problem]:
        return [Problem("entry", entry["id"], "agency", "unknown agency 'nasa-moon'")]

    rows, _ = transfer.read(json.dumps([{**ENTRY, "agency": "nasa-moon"}]).encode(), "x.json")
    plan = transfer.plan(rows, {}, unknown_agency, None)
    assert plan.problems == ["entry 1 (example-benefit), field 'agency': unknown agency 'nasa-moon'"]
    assert plan.entries == []


def test_export_scopes_published_and_all() -> None:
    draft = staff_entry({**ENTRY, "id": "draft-one"}, state="draft")
    published = staff_entry(ENTRY, revision=4)
    older = {**ENTRY, "summary": "What the public sees."}
    found = transfer.records([draft, published], {"example-benefit": (3, older)}, "published")
    assert [(r.entry["id"], r.revision, r.entry["summary"]) for r in found] == [
        ("example-benefit", 3, "What the public sees.")
    ]
    assert [r.entry["id"] for r in transfer.records([draft, published], {}, "all")] == [
        "draft-one",
        "example-benefit",
    ]
