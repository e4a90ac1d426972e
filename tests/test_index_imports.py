"""Importing the agency directory and the Federal Program Inventory: idempotent, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from life_experiences.model import Bank
from navigator.cli import main
from services_index.agency_directory import read as read_agencies
from services_index.content import Content
from services_index.programs import read as read_programs
from services_index.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"


@pytest.fixture()
def store(bank: Bank, content: Content, tmp_path: Path) -> Store:
    store = Store(tmp_path / "index.db", bank)
    store.migrate()
    store.seed(content)
    return store


def test_programs_import_is_idempotent_and_marks_public_ones(store: Store) -> None:
    programs, problems = read_programs(FIXTURES / "programs.json")
    assert problems == []
    first = store.import_programs(programs)
    assert sorted(first.added) == ["10.999", "96.002", "TC.001"]
    again = store.import_programs(programs)
    assert (again.added, again.updated, again.unchanged) == ([], [], 3)
    retirement = store.program("96.002")
    assert retirement is not None and retirement["public"] is True
    research = store.program("10.999")
    assert research is not None and research["public"] is False
    public, total = store.programs(public_only=True)
    assert total == 1 and public[0]["listing"] == "96.002"


def test_changed_record_is_updated_and_dry_run_writes_nothing(store: Store, tmp_path: Path) -> None:
    programs, _ = read_programs(FIXTURES / "programs.json")
    store.import_programs(programs)
    data = json.loads((FIXTURES / "programs.json").read_text())
    data[0]["objective"] = "Changed objective."
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    programs, _ = read_programs(changed)
    dry = store.import_programs(programs, dry_run=True)
    assert dry.updated == ["96.002"]
    assert store.program("96.002")["objective"] == "Monthly payments for retired workers and their families."  # type: ignore[index]
    store.import_programs(programs)
    assert store.program("96.002")["objective"] == "Changed objective."  # type: ignore[index]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d[1].update(cfda="10-999"), "record 2 (10-999), field 'cfda'"),
        (
            lambda d: d[0].update(beneficiary_types="Individuals"),
            "record 1 (96.002), field 'beneficiary_types'",
        ),
        (lambda d: d[2].update(title=None), "record 3 (TC.001), field 'title'"),
        (lambda d: d.append(dict(d[0])), "record 4 (96.002), field 'cfda': duplicate of record 1"),
    ],
)
def test_malformed_records_are_named_and_nothing_is_written(
    tmp_path: Path, change: object, message: str
) -> None:
    data = json.loads((FIXTURES / "programs.json").read_text())
    change(data)  # type: ignore[operator]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(
        main, ["import-programs", str(path)], env={"NAVIGATOR_DATABASE": str(db), "NAVIGATOR_SECRET_KEY": "t"}
    )
    assert result.exit_code == 1
    assert message in result.output and "nothing was written" in result.output
    listed = CliRunner().invoke(
        main, ["stats"], env={"NAVIGATOR_DATABASE": str(db), "NAVIGATOR_SECRET_KEY": "t"}
    )
    assert "programs (Assistance Listings): 0" in listed.output


def test_wrong_encoding_and_not_json_are_clear(tmp_path: Path) -> None:
    latin = tmp_path / "latin.json"
    latin.write_bytes('[{"title": "Caf\xe9"}]'.encode("latin-1"))
    assert "not UTF-8" in read_programs(latin)[1][0]
    broken = tmp_path / "broken.json"
    broken.write_text('[{"cfda": ')
    assert "not valid JSON" in read_programs(broken)[1][0]


@pytest.mark.skipif(
    not (REFERENCE / "federal-program-inventory").exists(),
    reason="the shared reference data is not beside this clone",
)
def test_the_whole_program_inventory_imports(store: Store) -> None:
    programs, problems = read_programs(
        REFERENCE / "federal-program-inventory" / "assistance_listings_fpi.json"
    )
    assert problems == []
    report = store.import_programs(programs)
    assert len(report.added) == 2682
    assert 400 < report.public < 2682
    assert store.import_programs(programs).unchanged == 2682


def test_agency_directory_adds_new_agencies_and_keeps_curated_facts(store: Store) -> None:
    agencies, problems = read_agencies(FIXTURES / "agencies.json")
    assert problems == []
    before = store.agencies()["ssa"]
    added, filled, unchanged = store.import_agencies(agencies)
    assert added == 2
    after = store.agencies()
    assert after["ssa"].phone == before.phone and after["ssa"].website == before.website
    example = after["example-commission-on-examples"]
    assert example.phone == "1-202-555-0100" and example.website.startswith("https://")
    assert store.import_agencies(agencies)[0] == 0


@pytest.mark.skipif(
    not (REFERENCE / "usagov-agency-directory").exists(),
    reason="the shared reference data is not beside this clone",
)
def test_the_whole_agency_directory_imports(store: Store) -> None:
    agencies, problems = read_agencies(
        REFERENCE / "usagov-agency-directory" / "usagov_az_index_scrape_2023.json"
    )
    assert problems == [] and len(agencies) > 400
    added, _, _ = store.import_agencies(agencies)
    assert added > 300
    assert store.counts()["agencies"] >= 432
