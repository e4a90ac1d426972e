"""Feedback comments lose emails, phone numbers and Social Security numbers before storage."""

from __future__ import annotations

import pytest

from services_index.scrub import scrub


@pytest.mark.parametrize(
    "personal",
    [
        "jane.doe@example.com",
        "JANE+forms@mail.example.org",
        "jane at example dot com",
        "jane(at)example(dot)com",
        "123-45-6789",
        "123 45 6789",
        "123.45.6789",
        "123456789",
        "(202) 555-0100",
        "202-555-0100",
        "202.555.0100",
        "+1 202 555 0100",
        "1-800-772-1213",
        "2025550100",
    ],
)
def test_personal_details_are_removed(personal: str) -> None:
    cleaned = scrub(f"Please contact me: {personal} thanks")
    assert personal not in cleaned
    assert "[removed]" in cleaned and cleaned.startswith("Please contact me:") and cleaned.endswith("thanks")


@pytest.mark.parametrize(
    "ordinary",
    [
        "The Medicare question was hard to understand.",
        "It took 5 minutes and I found 3 programs.",
        "Form SSA-1020 link was broken in 2026.",
        "I am 65 years old and live in a 2 bedroom home.",
    ],
)
def test_ordinary_comments_are_kept(ordinary: str) -> None:
    assert scrub(ordinary) == ordinary
