"""The review domain without a request: strings and their kinds, the queue's filters, diffs, rewordings."""

from __future__ import annotations

import pytest

from life_experiences.model import Bank
from navigator import i18n_catalogs
from services_index.content import Content
from services_index.diff import WordChange, word_diff
from services_index.review_queue import (
    Filters,
    Item,
    Source,
    check_texts,
    content_sources,
    incoming,
    items_for,
    message_sources,
    neighbours,
    select,
    string_id,
)
from services_index.rewording import RewordError, proposer, set_content_field
from services_index.translations import CONTENT, MESSAGES, Translation, content_texts, read_template


@pytest.fixture(scope="module")
def sources(bank: Bank, content: Content) -> list[Source]:
    template = read_template(i18n_catalogs.TRANSLATIONS / "messages.pot")
    texts = content_texts(content.services.values(), content.agencies.values(), content.documents.values())
    return message_sources(template, bank) + content_sources(texts, content.services)


def by_english(sources: list[Source], english: str) -> Source:
    return next(s for s in sources if s.english == english)


def test_every_string_has_a_kind_and_where_it_belongs(sources: list[Source]) -> None:
    kinds = {s.kind for s in sources}
    assert kinds == {"interface", "question", "life_experience", "service", "agency", "document"}
    question = by_english(sources, "What is your date of birth?")
    assert question.kind == "question" and question.questions == ("date_of_birth",)
    assert "retirement" in question.experiences
    home = by_english(sources, "Approaching retirement and turning 65")
    assert home.kind == "life_experience" and home.experiences == ("retirement",)
    state = by_english(sources, "Alabama")
    assert state.kind == "question" and state.questions == ("state",)
    summary = next(
        s for s in sources if s.context == "service:ssa-retirement-benefits" and s.field == "summary"
    )
    assert summary.service == "ssa-retirement-benefits" and summary.experiences == ("retirement",)
    plural = by_english(sources, "It takes about %(num)d minute.")
    assert plural.plural == "It takes about %(num)d minutes." and plural.templates == (
        "templates/public/start.html",
    )
    assert len({s.sid for s in sources}) == len(sources)
    assert summary.sid == string_id(CONTENT, "service:ssa-retirement-benefits", "summary")


def test_the_queue_filters_and_counts_by_status(sources: list[Source]) -> None:
    home = by_english(sources, "Approaching retirement and turning 65")
    rows = [Translation("es", MESSAGES, "", home.field, home.english, "Jubilación", "approved")]
    items = items_for(sources, rows)
    found, counts = select(items, Filters(status="approved"))
    assert [i.source for i in found] == [home]
    assert counts["approved"] == 1 and counts["missing"] == len(sources) - 1
    found, counts = select(items, Filters(query="JUBILACIÓN"))
    assert [i.source for i in found] == [home] and counts == {**dict.fromkeys(counts, 0), "approved": 1}
    services, _ = select(items, Filters(kind="service", service="snap"))
    assert services and all(i.source.context == "service:snap" for i in services)
    before, after = neighbours(services, services[1].source.sid)
    assert before == services[0] and after == services[2]
    assert neighbours(services, "nope") == (None, None)
    assert (
        Item(home, Translation("es", MESSAGES, "", home.field, home.english, "", "draft")).status == "missing"
    )


def test_plural_forms_are_checked_against_the_english_they_stand_for(sources: list[Source]) -> None:
    plural = by_english(sources, "It takes about %(num)d minute.")
    good = check_texts(plural, ["Toma un minuto.", "Toma unos %(num)d minutos."], "es", [])
    assert not [c for c in good if c.severity == "error"]
    broken = check_texts(plural, ["Toma un minuto.", "Toma unos minutos."], "es", [])
    assert [c.kind for c in broken if c.severity == "error"] == ["placeholders"]
    # Chinese has one form, which stands for every number.
    one = check_texts(plural, ["大约需要 %(num)d 分钟。"], "zh_Hans", [])
    assert not [c for c in one if c.severity == "error"]


def test_an_uploaded_translation_of_older_english_is_written_as_stale(sources: list[Source]) -> None:
    summary = next(
        s for s in sources if s.context == "service:ssa-retirement-benefits" and s.field == "summary"
    )
    entry = Translation("es", CONTENT, summary.context, "summary", "Old English.", "Texto viejo.", "approved")
    made = incoming(entry, summary, "es", [])
    assert made.row.status == "stale" and made.row.previous_source == "Old English."
    assert made.row.source == summary.english and "older English" in made.note


def test_word_diff_marks_removed_and_added_words() -> None:
    assert word_diff("You can apply up to 4 months before.", "You can apply 4 months early.") == [
        WordChange("same", "You can apply "),
        WordChange("removed", "up to "),
        WordChange("same", "4 months "),
        WordChange("removed", "before"),
        WordChange("added", "early"),
        WordChange("same", "."),
    ]
    assert word_diff("Same text", "Same text") == [WordChange("same", "Same text")]


def test_a_rewording_replaces_exactly_one_field_of_an_entry() -> None:
    entry = {
        "summary": "Old summary.",
        "apply": {"phone_hours": "Mon to Fri"},
        "forms": [{"number": "SSA-1", "name": "Application"}],
        "deadline": {"label": "Apply by"},
        "eligibility": {"all": [{"q": "a", "label": "First"}, {"not": {"q": "b", "label": "Second"}}]},
    }
    assert set_content_field(entry, "summary", "Old summary.", "New.")["summary"] == "New."
    assert (
        set_content_field(entry, "apply.phone_hours", "Mon to Fri", "Weekdays")["apply"]["phone_hours"]
        == "Weekdays"
    )
    assert set_content_field(entry, "forms.SSA-1", "Application", "Form")["forms"][0]["name"] == "Form"
    assert set_content_field(entry, "deadline.label", "Apply by", "Due")["deadline"]["label"] == "Due"
    changed = set_content_field(entry, "eligibility/all/1/not", "Second", "2nd")
    assert changed["eligibility"]["all"][1]["not"]["label"] == "2nd"
    assert entry["eligibility"]["all"][1]["not"]["label"] == "Second"  # the original is untouched
    with pytest.raises(RewordError, match="changed in the index"):
        set_content_field(entry, "summary", "Another summary.", "New.")
    for missing in ("cost", "forms.SSA-2", "eligibility/all/5", "eligibility/any/0", "apply.mail"):
        with pytest.raises(RewordError):
            set_content_field(entry, missing, "x", "y")


def test_the_proposer_is_the_author_of_the_newest_proposal() -> None:
    history = [
        {"action": "rejected", "author": "b@example.gov"},
        {"action": "proposed", "author": "a@example.gov"},
        {"action": "proposed", "author": "c@example.gov"},
    ]
    assert proposer(history) == "a@example.gov"
    assert proposer([]) == ""
