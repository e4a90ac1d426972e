"""The working copy of translations: saving with history, conflicts, English rewordings, .po round trips."""

from __future__ import annotations

import pytest
from flask import Flask

from navigator import i18n_catalogs
from services_index.store import Store, TranslationConflict
from services_index.translations import (
    CONTENT,
    MESSAGES,
    Translation,
    compare_import,
    locale_po,
    read_locale_po,
    read_template,
)

TEMPLATES = {
    MESSAGES: read_template(i18n_catalogs.TRANSLATIONS / "messages.pot"),
    CONTENT: read_template(i18n_catalogs.TRANSLATIONS / "content.pot"),
}
HOME = "Approaching retirement and turning 65"


def known_keys() -> set[tuple[str, str, str]]:
    return set(i18n_catalogs.template_keys())


def store_of(app: Flask) -> Store:
    return app.extensions["navigator.store"]  # type: ignore[no-any-return]


def test_saving_keeps_history_and_refuses_a_stale_editor(app: Flask) -> None:
    store = store_of(app)
    row = store.translation("fr", MESSAGES, "", HOME)
    assert row is not None
    opened = store.translation_stamp("fr", MESSAGES, "", HOME)
    row.text, row.status = "Approcher de la retraite et avoir 65 ans", "approved"
    store.save_translation(row, "reviewer@example.gov", "approved", "clearer", expected_stamp=opened)
    history = store.translation_history("fr", MESSAGES, "", HOME)
    assert history[0]["author"] == "reviewer@example.gov" and history[0]["action"] == "approved"
    assert history[0]["comment"] == "clearer"
    # A second reviewer who opened the editor before that save gets a conflict, and nothing changes.
    row.text = "Autre texte"
    with pytest.raises(TranslationConflict):
        store.save_translation(row, "other@example.gov", "draft", expected_stamp=opened)
    assert store.translation("fr", MESSAGES, "", HOME).text == "Approcher de la retraite et avoir 65 ans"  # type: ignore[union-attr]


def test_an_approved_translation_shows_at_once(app: Flask) -> None:
    from navigator.i18n import translations_for

    store = store_of(app)
    app.config["SHOW_DRAFT_TRANSLATIONS"] = False
    with app.test_request_context("/fr/"):
        assert translations_for("fr").gettext(HOME) == HOME
    row = store.translation("fr", MESSAGES, "", HOME)
    assert row is not None
    row.status = "approved"
    store.save_translation(row, "reviewer@example.gov", "approved")
    with app.test_request_context("/fr/"):
        assert translations_for("fr").gettext(HOME) == row.text
    page = app.test_client().get("/fr/").get_data(as_text=True)
    assert row.text in page


def test_accepting_an_english_rewording_updates_the_source_and_marks_translations_stale(app: Flask) -> None:
    from navigator.i18n import translations_for

    store = store_of(app)
    proposal = Translation(
        "en", MESSAGES, "", HOME, HOME, "Turning 65 and getting ready to retire", "needs_review"
    )
    store.save_translation(proposal, "plain@example.gov", "proposed")
    with app.test_request_context("/"):
        assert translations_for("en").gettext(HOME) == HOME  # not yet accepted
    stale = store.accept_english(MESSAGES, "", HOME, "lead@example.gov")
    assert stale == 11
    spanish = store.translation("es", MESSAGES, "", HOME)
    assert spanish is not None and spanish.status == "stale" and spanish.previous_source == HOME
    with app.test_request_context("/"):
        assert translations_for("en").gettext(HOME) == "Turning 65 and getting ready to retire"
        # A stale translation is not shown: Spanish readers see the new English until it is redone.
        assert translations_for("es").gettext(HOME) == "Turning 65 and getting ready to retire"
    assert "Turning 65 and getting ready to retire" in app.test_client().get("/").get_data(as_text=True)


def test_po_round_trip_leaves_unchanged_strings_byte_identical(app: Flask) -> None:
    store = store_of(app)
    first = locale_po(TEMPLATES, store.translations("es"), "es")
    entries, problems = read_locale_po(first, "es")
    assert problems == []
    report = compare_import(entries, store.translations("es"), known_keys())
    assert report.writable == [] and report.conflicts == [] and report.unknown == []
    assert report.unchanged == len(entries)
    store.apply_translation_import(report.writable, "translator@example.org", "round trip")
    assert locale_po(TEMPLATES, store.translations("es"), "es") == first
    assert 'msgctxt "service:ssa-retirement-benefits#summary"' in first.decode()
    assert "#. Question date_of_birth" in first.decode()


def test_po_import_reports_new_changed_and_conflicting_strings(app: Flask) -> None:
    store = store_of(app)
    exported = locale_po(TEMPLATES, store.translations("fr"), "fr").decode()
    # In the file: one string changed, and the Spanish-only service content added for French.
    original = store.translation("fr", MESSAGES, "", HOME)
    assert original is not None
    edited = exported.replace(f'msgstr "{original.text}"', 'msgstr "Préparer sa retraite et ses 65 ans"', 1)
    marker = 'msgctxt "agency:ssa#name"\nmsgid "Social Security Administration"\nmsgstr ""'
    assert marker in edited
    edited = edited.replace(marker, marker[:-2] + '"Administration de la sécurité sociale"', 1)
    entries, problems = read_locale_po(edited.encode(), "fr")
    assert problems == []
    report = compare_import(entries, store.translations("fr"), known_keys())
    assert [r.field for r in report.changed] == [HOME]
    assert [(r.context, r.field) for r in report.new] == [("agency:ssa", "name")]
    # Meanwhile a reviewer here changed the same string: the import shows a conflict instead.
    original.text = "Texte changé ici"
    store.save_translation(original, "reviewer@example.gov", "draft")
    report = compare_import(entries, store.translations("fr"), known_keys())
    assert [(here.text, there.text) for here, there in report.conflicts] == [
        ("Texte changé ici", "Préparer sa retraite et ses 65 ans")
    ]
    assert HOME not in [r.field for r in report.writable]


def test_bad_po_files_are_reported_not_written() -> None:
    entries, problems = read_locale_po(b"\xff\xfe not utf-8", "fr")
    assert entries == [] and "UTF-8" in problems[0]
    entries, problems = read_locale_po(b'msgid "a"\nmsgstr "b"\nmsgid broken', "fr")
    assert entries == [] and "not a valid .po file" in problems[0]
