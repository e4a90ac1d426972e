"""Plain-language rewordings of the English, accepted by a second person; stale translations, diffed."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from services_index.store import Store
from services_index.translations import CONTENT, MESSAGES
from tests.pages import check_page
from tests.review.conftest import (
    HOME,
    SUMMARY,
    content_sid,
    editor_path,
    message_sid,
    save,
    soup_of,
    start_plan,
)
from tests.staff.forms import submitted

REWORDED = "Turning 65 and getting ready to retire"
OLD_SUMMARY = (
    "You may be able to get a monthly payment when you retire. You can start as early as 62, but your "
    "payment is higher if you wait until your full retirement age or later."
)
NEW_SUMMARY = "You may get a monthly payment when you retire. You can start at 62. If you wait, you get more."


def test_a_proposal_waits_for_a_second_reviewer_and_the_proposer_cannot_accept_it(
    review_app: Flask, as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    proposer = as_user("reviewer_en")
    assert save(proposer, "en", message_sid(HOME), "propose", REWORDED).status_code == 303
    row = store.translation("en", MESSAGES, "", HOME)
    assert row is not None and row.status == "needs_review" and row.text == REWORDED
    listed = soup_of(proposer.get("/review/en?status=needs_review"))
    assert REWORDED in listed.select_one("tbody").get_text()
    page = check_page(proposer.get(editor_path("en", message_sid(HOME))))
    assert page.find("button", attrs={"value": "accept"}) is None
    assert "another reviewer of English or an admin accepts it" in page.get_text()
    refused = save(proposer, "en", message_sid(HOME), "accept")
    assert refused.status_code == 422
    assert "You proposed this rewording" in check_page(refused).select_one(".error-summary").get_text()
    assert store.translation("en", MESSAGES, "", HOME).status == "needs_review"  # type: ignore[union-attr]
    assert REWORDED not in review_app.test_client().get("/").get_data(as_text=True)


def test_accepting_a_rewording_changes_the_public_english_and_marks_translations_stale(
    review_app: Flask, as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    save(as_user("reviewer_en"), "en", message_sid(HOME), "propose", REWORDED)
    second = as_user("reviewer_en2")
    page = check_page(second.get(editor_path("en", message_sid(HOME))))
    assert "Proposed by plain@example.gov" in page.get_text()
    accepted = save(second, "en", message_sid(HOME), "accept")
    assert accepted.status_code == 303
    assert store.translation("en", MESSAGES, "", HOME).status == "approved"  # type: ignore[union-attr]
    assert REWORDED in review_app.test_client().get("/").get_data(as_text=True)
    for locale in ("es", "fr"):
        row = store.translation(locale, MESSAGES, "", HOME)
        assert row is not None and row.status == "stale" and row.previous_source == HOME
    history = store.translation_history("en", MESSAGES, "", HOME)
    assert [h["action"] for h in history[:2]] == ["accepted", "proposed"]
    assert history[0]["author"] == "plain-two@example.gov"


def test_an_admin_may_accept_but_not_a_changed_text(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    save(as_user("reviewer_en"), "en", message_sid(HOME), "propose", REWORDED)
    admin = as_user("admin")
    changed = save(admin, "en", message_sid(HOME), "accept", REWORDED + " now")
    assert changed.status_code == 422 and "Propose your version instead" in changed.get_data(as_text=True)
    assert save(admin, "en", message_sid(HOME), "accept").status_code == 303
    assert store.translation("en", MESSAGES, "", HOME).status == "approved"  # type: ignore[union-attr]


def test_a_rejected_proposal_goes_back_to_draft_with_the_reason(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    save(as_user("reviewer_en"), "en", message_sid(HOME), "propose", REWORDED)
    response = save(
        as_user("reviewer_en2"), "en", message_sid(HOME), "reject", comment="Keep “65”: people search for it."
    )
    assert response.status_code == 303
    assert store.translation("en", MESSAGES, "", HOME).status == "draft"  # type: ignore[union-attr]
    assert (
        store.translation_history("en", MESSAGES, "", HOME)[0]["comment"]
        == "Keep “65”: people search for it."
    )
    assert store.translation("es", MESSAGES, "", HOME).status == "draft"  # type: ignore[union-attr]


def test_accepting_a_rewording_of_a_service_field_changes_and_publishes_the_entry(
    review_app: Flask, as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    before = store.staff_entry("ssa-retirement-benefits")
    assert before is not None and before.data["summary"].strip() == OLD_SUMMARY
    spanish = as_user("reviewer")
    save(spanish, "es", content_sid(*SUMMARY), "approve", "Puede recibir un pago mensual al jubilarse.")
    save(as_user("reviewer_en"), "en", content_sid(*SUMMARY), "propose", NEW_SUMMARY)
    assert save(as_user("reviewer_en2"), "en", content_sid(*SUMMARY), "accept").status_code == 303
    entry = store.staff_entry("ssa-retirement-benefits")
    assert entry is not None and entry.data["summary"] == NEW_SUMMARY
    assert entry.revision == before.revision + 1 and entry.published_revision == entry.revision
    assert entry.updated_by == "plain-two@example.gov"
    assert store.service("ssa-retirement-benefits").summary == NEW_SUMMARY  # type: ignore[union-attr]
    row = store.translation("es", CONTENT, *SUMMARY)
    assert row is not None and row.status == "stale"
    assert row.previous_source.strip() == OLD_SUMMARY and row.source == NEW_SUMMARY
    english = store.translation("en", CONTENT, *SUMMARY)
    assert english is not None and english.status == "approved"
    public = review_app.test_client()
    start_plan(public, "en", "retirement")
    assert NEW_SUMMARY in public.get("/plan").get_data(as_text=True)
    assert [r["note"] for r in store.revisions("ssa-retirement-benefits")][-1] == (
        "Plain-language rewording of summary accepted"
    )
    # The Spanish reviewer now sees the old and the new English, word by word.
    soup = check_page(spanish.get(editor_path("es", content_sid(*SUMMARY))))
    diff = soup.select_one(".review-diff")
    assert diff is not None and diff.find("del") is not None and diff.find("ins") is not None


def test_a_rewording_is_not_accepted_over_unpublished_staff_changes(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    save(as_user("reviewer_en"), "en", content_sid(*SUMMARY), "propose", NEW_SUMMARY)
    entry = store.staff_entry("ssa-retirement-benefits")
    assert entry is not None
    store.save_service({**entry.data, "cost": "Free of charge"}, entry.revision, "editor@ssa.example.gov")
    refused = save(as_user("reviewer_en2"), "en", content_sid(*SUMMARY), "accept")
    assert refused.status_code == 409
    assert "not published yet" in refused.get_data(as_text=True)
    assert store.service("ssa-retirement-benefits").summary.strip() == OLD_SUMMARY  # type: ignore[union-attr]
    assert store.translation("en", CONTENT, *SUMMARY).status == "needs_review"  # type: ignore[union-attr]


def test_a_stale_translation_shows_the_english_change_as_a_word_diff_until_it_is_redone(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    entry = store.staff_entry("ssa-retirement-benefits")
    assert entry is not None
    changed = {**entry.data, "summary": OLD_SUMMARY.replace("as early as 62", "at age 62")}
    result = store.save_service(changed, entry.revision, "editor@ssa.example.gov")
    store.publish("ssa-retirement-benefits", result.revision, "editor@ssa.example.gov")
    client = as_user("reviewer")
    listed = soup_of(client.get("/review/es?status=stale"))
    assert content_sid(*SUMMARY) in str(listed.select_one("tbody"))
    soup = check_page(client.get(editor_path("es", content_sid(*SUMMARY))))
    diff = soup.select_one(".review-stale .review-diff")
    removed = [d.get_text() for d in diff.find_all("del")]
    added = [i.get_text() for i in diff.find_all("ins")]
    assert removed == ["[removed: as early as ]"] and added == ["[added: at age ]"]
    assert diff.find("del").select_one(".usa-sr-only").get_text() == "[removed: "
    assert "as early as 62" in soup.select_one(".review-stale details").get_text()
    # Redone and approved: no longer stale, no diff.
    save(
        client,
        "es",
        content_sid(*SUMMARY),
        "approve",
        "Puede recibir un pago mensual. Puede empezar a los 62 años.",
    )
    row = store.translation("es", CONTENT, *SUMMARY)
    assert row is not None and row.status == "approved" and row.previous_source == ""
    assert (
        check_page(client.get(editor_path("es", content_sid(*SUMMARY)))).select_one(".review-stale") is None
    )


def test_a_translation_made_stale_by_a_rewording_diffs_against_the_new_english(
    as_user: Callable[[str], FlaskClient],
) -> None:
    save(as_user("reviewer_en"), "en", message_sid(HOME), "propose", REWORDED)
    save(as_user("reviewer_en2"), "en", message_sid(HOME), "accept")
    soup = check_page(as_user("reviewer").get(editor_path("es", message_sid(HOME))))
    assert soup.select_one(".review-source .review-text").get_text() == REWORDED
    assert [d.get_text() for d in soup.select(".review-diff ins")][0].startswith("[added: ")
    assert HOME in soup.select_one(".review-source .review-note").get_text()


def test_a_new_proposal_over_an_accepted_rewording_says_what_the_public_reads(
    as_user: Callable[[str], FlaskClient],
) -> None:
    save(as_user("reviewer_en"), "en", message_sid(HOME), "propose", REWORDED)
    save(as_user("reviewer_en2"), "en", message_sid(HOME), "accept")
    page = check_page(as_user("reviewer_en").get(editor_path("en", message_sid(HOME))))
    assert "While a new proposal waits for review, the public reads the original English" in page.get_text()


def test_text_with_plural_forms_is_not_reworded_here(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    msgid = "It takes about %(num)d minute."
    client = as_user("reviewer_en")
    page = check_page(client.get(editor_path("en", message_sid(msgid))))
    assert page.find("button", attrs={"value": "propose"}) is None
    path = editor_path("en", message_sid(msgid))
    data = submitted(page, path)
    data["text-0"], data["text-1"] = "About %(num)d minute.", "About %(num)d minutes."
    response = client.post(path, data={**data, "action": "propose"})
    assert response.status_code == 422 and "reworded in its template file" in response.get_data(as_text=True)
    assert store.translation("en", MESSAGES, "", msgid) is None
