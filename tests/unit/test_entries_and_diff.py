"""Entries as plain data: canonical form, changed fields, field-by-field differences."""

from __future__ import annotations

from services_index import diff
from services_index.entries import canonical, changed_fields, dumps, flatten, urls_in

ENTRY = {
    "id": "example-benefit",
    "name": "Example benefit",
    "agency": "ssa",
    "summary": "You may be able to get it.",
    "life_experiences": ["retirement"],
    "eligibility": {"all": [{"q": "date_of_birth", "age_at_least": 62, "label": "62 or older"}]},
    "apply": {"online": "https://www.ssa.gov/apply", "phone": "1-800-772-1213"},
    "forms": [{"number": "SSA-1", "name": "Application", "url": "https://www.ssa.gov/forms/ssa-1.html"}],
    "cost": "Free",
    "processing_time": "About 6 weeks",
    "source_url": "https://www.ssa.gov/retirement",
    "last_verified": "2026-11-01",
    "english_only": False,
    "keywords": {"en": ["retire"], "es": ["jubilación"]},
}


def test_empty_optional_fields_mean_the_same_as_leaving_them_out() -> None:
    padded = {**ENTRY, "url_es": "", "deadline": None, "documents": [], "assistance_listing": ""}
    assert canonical(padded) == canonical(ENTRY)
    assert dumps(padded) == dumps(ENTRY)
    assert changed_fields(ENTRY, padded) == []
    without_flag = {k: v for k, v in ENTRY.items() if k != "english_only"}
    assert changed_fields(ENTRY, without_flag) == []


def test_changed_fields_are_named_in_field_order() -> None:
    after = {**ENTRY, "cost": "$10", "name": "Renamed", "keywords": {"en": ["retire", "pension"]}}
    assert changed_fields(ENTRY, after) == ["name", "cost", "keywords"]
    assert changed_fields(None, ENTRY)[:3] == ["id", "name", "agency"]


def test_every_link_of_an_entry_is_found_once() -> None:
    assert urls_in({**ENTRY, "status_url": "https://www.ssa.gov/retirement"}) == [
        "https://www.ssa.gov/retirement",
        "https://www.ssa.gov/apply",
        "https://www.ssa.gov/forms/ssa-1.html",
    ]


def test_nested_fields_are_compared_one_by_one() -> None:
    after = {
        **ENTRY,
        "apply": {**ENTRY["apply"], "phone": "1-800-000-0000", "mail": "Write to us."},  # type: ignore[dict-item]
        "keywords": {"en": ["retire"]},
    }
    changes = {c.field: c for c in diff.diff(ENTRY, after)}
    assert set(changes) == {"apply.phone", "apply.mail", "keywords.es"}
    assert changes["apply.phone"].kind == "changed" and changes["apply.phone"].after == "1-800-000-0000"
    assert changes["apply.mail"].kind == "added"
    assert changes["keywords.es"].kind == "removed" and changes["keywords.es"].before == "jubilación"


def test_a_first_revision_shows_every_field_as_added() -> None:
    changes = diff.diff(None, ENTRY)
    assert {c.kind for c in changes} == {"added"}
    assert [c.field for c in changes][:3] == ["id", "name", "agency"]
    assert "eligibility" in dict(flatten(ENTRY))


def test_a_conflict_shows_theirs_and_yours_and_who_changed_what() -> None:
    theirs = {**ENTRY, "cost": "$5"}
    yours = {**ENTRY, "summary": "A clearer summary."}
    rows = {r.field: r for r in diff.conflict(ENTRY, theirs, yours)}
    assert set(rows) == {"summary", "cost"}
    assert rows["cost"].changed_by_them and not rows["cost"].changed_by_you
    assert rows["cost"].theirs == "$5" and rows["cost"].yours == "Free"
    assert rows["summary"].changed_by_you and not rows["summary"].changed_by_them
    both = diff.conflict(ENTRY, {**ENTRY, "cost": "$5"}, {**ENTRY, "cost": "$7"})
    assert both[0].changed_by_them and both[0].changed_by_you


def test_a_merge_keeps_their_changes_and_yours() -> None:
    theirs = {**ENTRY, "cost": "$5", "summary": "Their summary."}
    yours = {**ENTRY, "processing_time": "A week", "summary": "Your summary."}
    merged, both = diff.merge(ENTRY, theirs, yours)
    assert merged["cost"] == "$5" and merged["processing_time"] == "A week"
    assert merged["summary"] == "Your summary." and both == ["summary"]
    removed, _ = diff.merge(ENTRY, theirs, {k: v for k, v in ENTRY.items() if k != "keywords"})
    assert "keywords" not in removed
