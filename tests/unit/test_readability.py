"""Reading grade: short plain sentences score low, long formal ones score high."""

from __future__ import annotations

import pytest

from life_experiences.readability import grade, syllables


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("cat", 1),
        ("make", 1),
        ("table", 2),
        ("needed", 2),
        ("asked", 1),
        ("taxes", 2),
        ("benefit", 3),
        ("eligibility", 6),
        ("Medicare", 3),
        ("insurance", 3),
        ("you're", 1),
    ],
)
def test_syllable_estimates(word: str, count: int) -> None:
    assert syllables(word) == count


def test_plain_text_reads_easier_than_bureaucratic_text() -> None:
    plain = "You may get a monthly check. Apply online or call us. We will tell you what to bring."
    formal = (
        "Beneficiaries demonstrating eligibility pursuant to applicable statutory requirements "
        "may subsequently be authorized to receive supplementary disbursements administratively."
    )
    assert grade(plain) < 5
    assert grade(formal) > 16


def test_empty_text_has_grade_zero() -> None:
    assert grade("") == 0.0
    assert grade("   ") == 0.0
