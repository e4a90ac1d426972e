"""Bad data files fail loudly, naming the file, the entry and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from life_experiences.errors import DataFileError
from life_experiences.loader import DATA_DIR, load_bank
from services_index.content import SEED_DIR, load_content


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def problems_for(data: Path) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        load_bank(data)
    return [str(p) for p in caught.value.problems]


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_the_real_data_files_load(bank: object) -> None:
    assert bank is not None


def test_duplicate_question_id_names_both_files(data: Path) -> None:
    append(
        data / "questions" / "retirement.yaml",
        '\n- {id: date_of_birth, kind: yes_no, text: "Again?", text_other: "Again?", why: "Because."}\n',
    )
    duplicate = [p for p in problems_for(data) if "duplicate id" in p]
    assert len(duplicate) == 1
    assert (
        "retirement.yaml" in duplicate[0]
        and "shared.yaml" in duplicate[0]
        and "'date_of_birth'" in duplicate[0]
    )


def test_unknown_question_in_a_rule(data: Path) -> None:
    append(
        data / "questions" / "shared.yaml",
        "\n- {id: extra, kind: yes_no, text: X, text_other: X, why: W, "
        "ask_if: {q: no_such, in: [x], label: L}}\n",
    )
    problems = problems_for(data)
    assert any("'extra'" in p and "'ask_if'" in p and "unknown question id 'no_such'" in p for p in problems)


def test_option_value_the_question_lacks(data: Path) -> None:
    append(
        data / "questions" / "shared.yaml",
        "\n- {id: extra, kind: yes_no, text: X, text_other: X, why: W, "
        "ask_if: {q: marital_status, in: [engaged], label: L}}\n",
    )
    problems = problems_for(data)
    assert any("'extra'" in p and "has no option value 'engaged'" in p for p in problems)


def test_cycle_in_ask_if(data: Path) -> None:
    append(
        data / "questions" / "shared.yaml",
        """
- {id: loop_a, kind: yes_no, text: A, text_other: A, why: W, ask_if: {q: loop_b, in: ["yes"], label: L}}
- {id: loop_b, kind: yes_no, text: B, text_other: B, why: W, ask_if: {q: loop_a, in: ["yes"], label: L}}
""",
    )
    problems = problems_for(data)
    assert any("cycle" in p and "loop_a" in p and "loop_b" in p for p in problems)


def test_life_experience_with_unknown_question(data: Path) -> None:
    path = data / "experiences" / "retirement.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  - looking_for_work", "  - no_such_q"), encoding="utf-8"
    )
    problems = problems_for(data)
    assert any("retirement.yaml" in p and "'questions'" in p and "no_such_q" in p for p in problems)


def test_service_errors_name_file_entry_and_field(bank: object, tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    append(
        seed / "services" / "retirement.yaml",
        """
- id: broken-entry
  name: Broken
  agency: no-such-agency
  summary: A test entry.
  life_experiences: [retirement]
  eligibility: {q: marital_status, in: [engaged], label: Engaged}
  apply: {online: "http://example.com/apply"}
  documents: [no_such_document]
  cost: Free
  processing_time: Soon
  source_url: https://www.ssa.gov
  last_verified: "2026-02-30"
""",
    )
    with pytest.raises(DataFileError) as caught:
        load_content(bank, seed)  # type: ignore[arg-type]
    text = "\n".join(str(p) for p in caught.value.problems if "broken-entry" in str(p))
    for field, words in [
        ("agency", "unknown agency"),
        ("eligibility", "no option value 'engaged'"),
        ("apply.online", "https"),
        ("documents", "no_such_document"),
        ("last_verified", "YYYY-MM-DD"),
    ]:
        assert f"field '{field}'" in text and words in text, field
    assert "retirement.yaml" in text
