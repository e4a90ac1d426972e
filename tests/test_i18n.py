"""Every page in every language: catalogs, fallbacks, statuses and the choice of language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Tag
from flask import Flask
from flask.testing import FlaskClient

from life_experiences.model import Bank
from navigator import i18n_catalogs
from navigator.config import LOCALES
from services_index.content import Content
from services_index.translations import (
    CONTENT,
    MESSAGES,
    CatalogTranslations,
    Translation,
    content_texts,
    export_catalog,
    read_template,
    rule_labels,
)
from tests.pages import check_page
from tests.test_public_flow import csrf, persona_answer

OTHERS = LOCALES[1:]
TEMPLATES = i18n_catalogs.TRANSLATIONS


def template_ids(name: str) -> set[str]:
    with (TEMPLATES / name).open("rb") as handle:
        return {str(m.id[0] if isinstance(m.id, tuple | list) else m.id) for m in read_po(handle) if m.id}


# The catalogs ---------------------------------------------------------------------------


def test_every_question_and_life_experience_text_is_in_the_template(bank: Bank) -> None:
    ids = template_ids("messages.pot")
    missing = []
    for question in bank.questions.values():
        texts = [question.text, question.text_other, question.hint, question.hint_other, question.why]
        texts += [option.label for option in question.options]
        if question.ask_if:
            texts += [label for _path, label in rule_labels(question.ask_if)]
        missing += [text for text in texts if text and text not in ids]
    for experience in bank.experiences.values():
        missing += [t for t in (experience.title, experience.summary, experience.intro) if t not in ids]
    missing += [state.name for state in bank.states if state.name not in ids]
    assert not missing, missing[:5]


def test_every_public_field_of_the_index_is_in_the_content_template(content: Content) -> None:
    texts = content_texts(content.services.values(), content.agencies.values(), content.documents.values())
    with (TEMPLATES / "content.pot").open("rb") as handle:
        keys = {(m.context, m.id) for m in read_po(handle) if m.id}
    missing = [t for t in texts if (t.msgctxt, t.source) not in keys]
    assert not missing, missing[:5]
    assert len(texts) > 2000


def test_template_catalogs_are_up_to_date() -> None:
    assert i18n_catalogs.stale_templates() == [], "run 'make i18n-extract i18n-update' and commit"


def test_every_catalog_is_valid_and_keeps_its_placeholders() -> None:
    problems = []
    for locale in OTHERS:
        problems += i18n_catalogs.placeholder_problems(i18n_catalogs.file_rows(locale))
    assert problems == []


def test_a_changed_placeholder_is_caught() -> None:
    rows = [
        Translation("es", MESSAGES, "", "Go to %(name)s", "Go to %(name)s", "Ir a %(nombre)s"),
        Translation("es", MESSAGES, "", "Hello", "Hello", "Hola {name}"),
        Translation("es", MESSAGES, "", "Fine %(name)s", "Fine %(name)s", "Bien %(name)s"),
    ]
    problems = i18n_catalogs.placeholder_problems(rows)
    assert len(problems) == 2
    assert "%(nombre)s" in problems[0] and "{name}" in problems[1]


def test_coverage_has_not_dropped_below_the_recorded_level() -> None:
    keys = i18n_catalogs.template_keys()
    found = [i18n_catalogs.coverage(locale, i18n_catalogs.file_rows(locale), keys) for locale in OTHERS]
    assert i18n_catalogs.coverage_drops(found) == []
    recorded = i18n_catalogs.recorded_coverage()
    assert set(recorded) == set(OTHERS)


def test_spanish_is_complete_and_the_others_have_every_interface_and_question_text() -> None:
    keys = i18n_catalogs.template_keys()
    for locale in OTHERS:
        item = i18n_catalogs.coverage(locale, i18n_catalogs.file_rows(locale), keys)
        assert item.percent("interface") == 100.0, locale
        assert item.percent("questions") == 100.0, locale
        if locale == "es":
            assert item.percent("services") == 100.0


def test_a_coverage_drop_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    record = tmp_path / "coverage.json"
    record.write_text(json.dumps({"fr": {"interface": 90.0}}))
    monkeypatch.setattr(i18n_catalogs, "COVERAGE_FILE", record)
    low = i18n_catalogs.Coverage("fr", {"interface": 10}, {"interface": 8}, {})
    assert i18n_catalogs.coverage_drops([low]) == ["fr interface: 80.0% is below the recorded 90.0%"]


def test_plural_forms_follow_each_language() -> None:
    russian = CatalogTranslations("ru", {}, {"%(num)d day": ["%(num)d день", "%(num)d дня", "%(num)d дней"]})
    assert [russian.ngettext("%(num)d day", "%(num)d days", n) for n in (1, 3, 5, 21)] == [
        "%(num)d день",
        "%(num)d дня",
        "%(num)d дней",
        "%(num)d день",
    ]
    korean = CatalogTranslations("ko", {}, {"%(num)d day": ["%(num)d일"]})
    assert korean.ngettext("%(num)d day", "%(num)d days", 7) == "%(num)d일"
    assert korean.ngettext("unknown", "unknowns", 2) == "unknowns"


def test_export_writes_status_as_flags_and_keeps_untranslated_entries() -> None:
    template = read_template(TEMPLATES / "messages.pot")
    first = next(m for m in template if m.id and not isinstance(m.id, tuple | list))
    rows = [Translation("fr", MESSAGES, "", str(first.id), str(first.id), "Texte", status="approved")]
    catalog = export_catalog(template, rows, "fr", MESSAGES)
    exported = catalog.get(first.id)
    assert exported is not None and exported.string == "Texte" and "approved" in exported.flags
    assert len([m for m in catalog if m.id]) == len([m for m in template if m.id])


# The database working copy ------------------------------------------------------------------


def spanish(client: FlaskClient, path: str) -> BeautifulSoup:
    return check_page(client.get(f"/es{path}"))


def test_changing_the_english_marks_translations_stale_and_falls_back(
    app: Flask, client: FlaskClient
) -> None:
    store = app.extensions["navigator.store"]
    db = store.connect()
    service_id = "ssa-retirement-benefits"
    row = db.execute(
        "SELECT text FROM content_translations WHERE locale = 'es' AND context = ? AND field = 'summary'",
        [f"service:{service_id}"],
    ).fetchone()
    assert row is not None and row[0]
    # Agency staff change the English summary and publish it: the one path every edit takes.
    entry = store.staff_entry(service_id)
    assert entry is not None
    data = dict(entry.data)
    data["summary"] = "A new English summary written by agency staff."
    saved = store.save_service(data, entry.revision, "editor@ssa.gov", "plainer summary")
    assert saved.changed == ["summary"]
    before = store.translation("es", "content", f"service:{service_id}", "summary")
    assert before is not None and before.status != "stale"  # a saved draft does not change the public text
    store.publish(service_id, saved.revision, "editor@ssa.gov")
    status, source, previous = db.execute(
        "SELECT status, source, previous_source FROM content_translations "
        "WHERE locale = 'es' AND context = ? AND field = 'summary'",
        [f"service:{service_id}"],
    ).fetchone()
    assert status == "stale" and source == data["summary"] and previous != source
    # The public Spanish page now shows the new English, marked as English.
    page = client.get("/es/search?q=jubilaci%C3%B3n").get_data(as_text=True)
    assert "Seguro Social" in page
    with app.test_request_context("/es/"):
        from navigator.i18n import translations_for

        catalog = translations_for("es")
        assert catalog.gettext(data["summary"]) == data["summary"]
        assert catalog.gettext(row[0]) == row[0]


def test_approved_only_setting_hides_drafts(app: Flask) -> None:
    from navigator.i18n import translations_for

    store = app.extensions["navigator.store"]
    db = store.connect()
    english = "Approaching retirement and turning 65"
    with db.atomic():
        db.execute(
            "UPDATE content_translations SET status = 'draft' WHERE locale = 'fr' AND field = ?", [english]
        )
        store._bump(db)
    with app.test_request_context("/fr/"):
        assert translations_for("fr").gettext(english) != english
    app.config["SHOW_DRAFT_TRANSLATIONS"] = False
    with app.test_request_context("/fr/"):
        assert translations_for("fr").gettext(english) == english
    with db.atomic():
        db.execute(
            "UPDATE content_translations SET status = 'approved' WHERE locale = 'fr' AND field = ?", [english]
        )
        store._bump(db)
    with app.test_request_context("/fr/"):
        assert translations_for("fr").gettext(english) != english


def test_seeding_again_keeps_translations_edited_here(app: Flask) -> None:
    from navigator import translation_rows

    store = app.extensions["navigator.store"]
    db = store.connect()
    with db.atomic():
        db.execute(
            "UPDATE content_translations SET text = 'Texto revisado', updated_by = 'reviewer@example.gov' "
            "WHERE locale = 'es' AND domain = 'content' AND context = 'agency:ssa' AND field = 'name'"
        )
    added, _updated, kept = store.seed_translations(translation_rows(LOCALES))
    assert added == 0 and kept > 0
    text = db.execute(
        "SELECT text FROM content_translations WHERE locale = 'es' AND context = 'agency:ssa' "
        "AND field = 'name'"
    ).fetchone()[0]
    assert text == "Texto revisado"


# Choosing a language ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9", "es"),
        ("zh-CN,zh;q=0.9", "zh_Hans"),
        ("zh-TW", "zh_Hant"),
        ("zh-HK", "zh_Hant"),
        ("tl", "fil"),
        ("fil-PH", "fil"),
        ("pt-BR", "pt"),
        ("ar-EG", "ar"),
        ("de-DE,fr;q=0.5", "fr"),
        ("de-DE", None),
    ],
)
def test_browser_language_leads_to_the_prefixed_page(client: FlaskClient, header: str, expected: str) -> None:
    response = client.get("/privacy", headers={"Accept-Language": header})
    if expected is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response.headers["Location"] == f"/{expected}/privacy"


def test_the_url_prefix_wins_and_the_choice_persists(client: FlaskClient) -> None:
    soup = check_page(client.get("/ko/privacy", headers={"Accept-Language": "es"}))
    assert soup.find("html")["lang"] == "ko"
    # Later pages without a prefix keep the chosen language.
    response = client.get("/", headers={"Accept-Language": "es"})
    assert response.headers["Location"] == "/ko/"
    # Choosing English from the menu is remembered too.
    soup = check_page(client.get("/en/", headers={"Accept-Language": "es"}))
    assert soup.find("html")["lang"] == "en"
    assert client.get("/privacy", headers={"Accept-Language": "es"}).status_code == 200


def test_language_menu_names_each_language_in_its_own_words_and_points_at_this_page(
    client: FlaskClient,
) -> None:
    soup = check_page(client.get("/ar/life-experiences/retirement"))
    links = soup.select("#language-menu a")
    names = {a.get_text(strip=True): a["href"] for a in links}
    assert names["Español"] == "/es/life-experiences/retirement"
    assert names["English"] == "/en/life-experiences/retirement"
    assert names["العربية"] == "/ar/life-experiences/retirement"
    assert names["简体中文"] == "/zh_Hans/life-experiences/retirement"
    assert len(links) == len(LOCALES)
    assert all(a.get("lang") and a.get("hreflang") for a in links)
    current = soup.select('#language-menu a[aria-current="true"]')
    assert [a.get_text(strip=True) for a in current] == ["العربية"]


# Every public page in every language ---------------------------------------------------------

LONG_TEXT = re.compile(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+")


@pytest.fixture(scope="module")
def english_texts() -> list[str]:
    """Interface and question text long enough that seeing it verbatim means it was not translated."""
    with (TEMPLATES / "messages.pot").open("rb") as handle:
        found = []
        for message in read_po(handle):
            text = str(message.id[0] if isinstance(message.id, tuple | list) else message.id)
            plain = re.sub(r"%\(\w+\)[sd]", "", text)
            if message.id and LONG_TEXT.search(plain) and "%(" not in text:
                found.append(text)
    return sorted(found, key=len, reverse=True)


_same: dict[str, set[str]] = {}


def same_in_translation(locale: str) -> set[str]:
    """Texts a translator deliberately kept in English (a proper name such as the site's)."""
    if locale not in _same:
        rows = i18n_catalogs.file_rows(locale)
        _same[locale] = {r.source for r in rows if r.domain == MESSAGES and r.text == r.source}
    return _same[locale]


def visible_text(soup: BeautifulSoup) -> str:
    """The page's text, leaving out parts marked as English and the language menu."""
    for tag in soup.select('[lang="en"], #language-menu, script, style'):
        if isinstance(tag, Tag) and tag.name != "html":
            tag.decompose()
    return " ".join(soup.get_text(" ").split())


def assert_translated(soup: BeautifulSoup, locale: str, english_texts: list[str], where: str) -> None:
    html = soup.find("html")
    assert html["lang"] == locale.replace("_", "-"), where
    assert html["dir"] == ("rtl" if locale == "ar" else "ltr"), where
    for tag in soup.select("h1, h2, h3, label, legend, button, a, summary, title, th, dt"):
        assert tag.get_text(strip=True) or tag.get("aria-label") or tag.find("img"), (
            f"{where}: empty <{tag.name}>"
        )
    text = visible_text(soup)
    assert "%(" not in text and "{{" not in text, f"{where}: unformatted placeholder"
    kept_as_is = same_in_translation(locale)
    untranslated = [e for e in english_texts if e in text and e not in kept_as_is]
    assert not untranslated, f"{where} in {locale}: English left untranslated: {untranslated[:3]}"


def pages_of_a_visit(client: FlaskClient, locale: str, slug: str) -> list[tuple[str, BeautifulSoup]]:
    """Home, start, every question, an error, review, plan, share, search, feedback, privacy, not found."""
    seen = [("home", check_page(client.get(f"/{locale}/")))]
    start = check_page(client.get(f"/{locale}/life-experiences/{slug}"))
    seen.append(("start", start))
    response = client.post(
        f"/{locale}/life-experiences/{slug}/start", data={"csrf_token": csrf(start), "for": "self"}
    )
    location = response.headers["Location"]
    first = True
    for _ in range(40):
        if "/questions/" not in location:
            break
        soup = check_page(client.get(location))
        qid = location.rsplit("/", 1)[-1].split("?")[0]
        seen.append((f"question {qid}", soup))
        if first:
            error = client.post(location, data={"csrf_token": csrf(soup)})
            seen.append(("error", check_page(error)))
            first = False
        response = client.post(location, data={"csrf_token": csrf(soup), **persona_answer(soup, qid)})
        assert response.status_code == 303, (locale, qid)
        location = response.headers["Location"]
    seen.append(("review", check_page(client.get(f"/{locale}/review"))))
    seen.append(("plan", check_page(client.get(f"/{locale}/plan"))))
    seen.append(("share", check_page(client.get(f"/{locale}/share"))))
    seen.append(("search", check_page(client.get(f"/{locale}/search?q=medicare"))))
    seen.append(("privacy", check_page(client.get(f"/{locale}/privacy"))))
    seen.append(("not found", check_page(client.get(f"/{locale}/no-such-page"))))
    return seen


@pytest.mark.parametrize("locale", OTHERS)
def test_every_public_page_is_translated(client: FlaskClient, locale: str, english_texts: list[str]) -> None:
    for name, soup in pages_of_a_visit(client, locale, "retirement"):
        assert_translated(soup, locale, english_texts, name)


@pytest.mark.parametrize("slug", ["disaster", "having-a-child", "death-of-a-loved-one", "small-business"])
def test_spanish_flows_of_other_life_experiences_are_translated(
    client: FlaskClient, slug: str, english_texts: list[str]
) -> None:
    for name, soup in pages_of_a_visit(client, "es", slug):
        assert_translated(soup, "es", english_texts, f"{slug} {name}")


def test_spanish_plan_has_no_english_service_text(client: FlaskClient) -> None:
    pages = dict(pages_of_a_visit(client, "es", "retirement"))
    plan = pages["plan"]
    assert not plan.select('.service-card [lang="en"]'), "a Spanish plan shows English service text"
    assert not plan.select(".service-card__notice--fallback")
    assert "Seguro Social" in plan.get_text()


def test_other_languages_mark_english_service_text(client: FlaskClient) -> None:
    pages = dict(pages_of_a_visit(client, "vi", "retirement"))
    plan = pages["plan"]
    marked = plan.select('.service-card [lang="en"]')
    assert marked, "English service text must carry lang=en"
    notices = plan.select(".service-card__notice--fallback")
    assert notices and all(n.get("lang") is None for n in notices)


def test_spanish_links_go_to_spanish_pages_or_say_they_are_in_english(client: FlaskClient) -> None:
    plan = dict(pages_of_a_visit(client, "es", "retirement"))["plan"]
    sources = plan.select(".service-card__source")
    assert sources
    for source in sources:
        link = source.find("a")
        if link["hreflang"] == "es":
            assert "(en inglés)" not in source.get_text()
        else:
            assert "(en inglés)" in source.get_text()
    assert any(s.find("a")["hreflang"] == "es" for s in sources)


def test_dates_and_numbers_are_formatted_for_the_language(client: FlaskClient) -> None:
    plan = dict(pages_of_a_visit(client, "es", "retirement"))["plan"]
    dates = [t.get_text(strip=True) for t in plan.find_all("time")]
    assert dates and all(re.search(r"\d{1,2} de [a-z]+ de \d{4}", d) for d in dates), dates
    plan = dict(pages_of_a_visit(client, "zh_Hans", "retirement"))["plan"]
    dates = [t.get_text(strip=True) for t in plan.find_all("time")]
    assert dates and all(re.search(r"\d{4}年\d{1,2}月\d{1,2}日", d) for d in dates), dates


def test_api_speaks_the_language_asked_for(client: FlaskClient) -> None:
    data = client.get("/api/v1/life-experiences/retirement?lang=es").get_json()
    assert data["title"] != "Approaching retirement and turning 65"
    english = client.get("/api/v1/life-experiences/retirement").get_json()
    assert english["title"] == "Approaching retirement and turning 65"


def test_content_domain_constant_is_used_for_services() -> None:
    assert CONTENT == "content" and MESSAGES == "messages"


def test_compiled_catalogs_translate_when_the_database_cannot_be_read() -> None:
    from babel.support import Translations
    from click.testing import CliRunner

    from navigator.cli import main

    result = CliRunner().invoke(main, ["translations", "compile"])
    assert result.exit_code == 0, result.output
    assert "es: " in result.output
    compiled = Translations.load(str(TEMPLATES), ["es"], "messages")
    assert compiled.gettext("Page not found") != "Page not found"
    # A data text with a percent sign ("35% of") compiles, although Babel would take it for a format.
    hubzone = "The HUBZone program needs at least 35% of a business's employees to live in a HUBZone."
    assert "35" in compiled.gettext(hubzone) and compiled.gettext(hubzone) != hubzone
