"""The .po round trip through the review pages, the import report and its conflicts, bad uploads, the CLI."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, stream_encode_multipart

from navigator import i18n_catalogs
from navigator.cli import main
from services_index.store import Store
from services_index.translations import CONTENT, MESSAGES
from tests.pages import check_page
from tests.review.conftest import HOME, SUMMARY, content_sid, message_sid, save, soup_of, text_of, token_of
from tests.staff.forms import submitted


def export(client: FlaskClient, locale: str) -> bytes:
    response = client.get(f"/review/{locale}/export.po")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="federal-front-door-{locale}.po"'
    return response.get_data()


def upload(client: FlaskClient, locale: str, data: bytes, filename: str = "fr.po") -> TestResponse:
    """Post a file through the import form (encoded in memory: the test client leaves big temp files open)."""
    token = token_of(client, f"/review/{locale}/transfer")
    fields = {"csrf_token": token, "file": FileStorage(io.BytesIO(data), filename)}
    body, length, boundary = stream_encode_multipart(fields, use_tempfile=False)
    return client.post(
        f"/review/{locale}/import",
        input_stream=body,
        content_length=length,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def apply(client: FlaskClient, report: TestResponse, **choices: str) -> TestResponse:
    soup = soup_of(report)
    form = soup.select_one("form.review-apply")
    assert form is not None, "the report offers nothing to apply"
    data = submitted(soup, form["action"])
    data.update(choices)
    return client.post(form["action"], data=data)


def replace_text(po: str, english: str, old: str, new: str) -> str:
    """Change the translation of one entry in an exported file."""
    marker = f'msgid "{english}"\nmsgstr "{old}"'
    assert marker in po, english
    return po.replace(marker, f'msgid "{english}"\nmsgstr "{new}"', 1)


def test_an_unchanged_file_round_trips_byte_for_byte(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    client = as_user("reviewer")
    first = export(client, "es")
    assert b'msgctxt "service:ssa-retirement-benefits#summary"' in first
    assert b"#. Question date_of_birth" in first
    before = store.translations("es")
    report = upload(client, "es", first, "es.po")
    assert report.status_code == 200
    soup = check_page(report)
    counts = [li.get_text(" ", strip=True) for li in soup.select(".review-report-counts li")]
    assert counts[:3] == ["0 new", "0 changed", "0 in conflict"]
    assert "nothing to import" in soup.get_text()
    assert soup.select_one("form.review-apply") is None
    assert store.translations("es") == before
    assert export(client, "es") == first


def test_the_report_shows_new_changed_and_conflicting_strings_and_applies_only_what_is_chosen(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    client = as_user("reviewer_fr")
    exported = export(client, "fr").decode()
    home = store.translation("fr", MESSAGES, "", HOME)
    back = store.translation("fr", MESSAGES, "", "Back")
    assert home is not None and back is not None
    edited = replace_text(exported, HOME, home.text, "Préparer sa retraite et ses 65 ans")
    edited = replace_text(edited, "Back", back.text, "Revenir (fichier)")
    marker = 'msgctxt "agency:ssa#name"\nmsgid "Social Security Administration"\nmsgstr ""'
    edited = edited.replace(marker, marker[:-2] + '"Administration de la sécurité sociale"', 1)
    # Meanwhile "Back" is changed here too: a conflict.
    save(client, "fr", message_sid("Back"), "approve", "Retour (site)")
    report = upload(client, "fr", edited.encode())
    assert report.status_code == 200
    soup = check_page(report)
    assert (
        "Préparer sa retraite et ses 65 ans"
        in soup.select_one("#changed-heading").find_parent("section").get_text()
    )
    assert (
        "Administration de la sécurité sociale"
        in soup.select_one("#new-heading").find_parent("section").get_text()
    )
    conflict = soup.select_one(".review-conflict-item")
    assert "Retour (site)" in conflict.get_text() and "Revenir (fichier)" in conflict.get_text()
    assert conflict.select('input[type=radio][name^="conflict-"]') and not conflict.select("input[checked]")
    # Nothing is written before the reviewer applies the import.
    assert store.translation("fr", MESSAGES, "", HOME).text == home.text  # type: ignore[union-attr]
    done = apply(client, report)
    assert done.status_code == 303
    assert "Kept this site's text for 1 conflict" in text_of(client.get(done.headers["Location"]))
    assert store.translation("fr", MESSAGES, "", HOME).text == "Préparer sa retraite et ses 65 ans"  # type: ignore[union-attr]
    assert (
        store.translation("fr", CONTENT, "agency:ssa", "name").text == "Administration de la sécurité sociale"
    )  # type: ignore[union-attr]
    assert store.translation("fr", MESSAGES, "", "Back").text == "Retour (site)"  # type: ignore[union-attr]
    assert store.translation_history("fr", MESSAGES, "", HOME)[0]["action"] == "imported"
    # The same file again: the conflict remains, and this time the reviewer chooses the file's text.
    again = upload(client, "fr", edited.encode())
    index = soup_of(again).select_one('.review-conflict-item input[value="file"]')["name"]
    assert apply(client, again, **{index: "file"}).status_code == 303
    assert store.translation("fr", MESSAGES, "", "Back").text == "Revenir (fichier)"  # type: ignore[union-attr]


def test_an_import_applied_later_never_overwrites_a_change_made_since_the_check(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    client = as_user("reviewer_fr")
    exported = export(client, "fr").decode()
    home = store.translation("fr", MESSAGES, "", HOME)
    assert home is not None
    report = upload(client, "fr", replace_text(exported, HOME, home.text, "Texte du fichier").encode())
    save(as_user("admin"), "fr", message_sid(HOME), "approve", "Texte changé entre-temps")
    done = apply(client, report)
    assert done.status_code == 303
    assert "changed here after the check" in text_of(client.get(done.headers["Location"]))
    assert store.translation("fr", MESSAGES, "", HOME).text == "Texte changé entre-temps"  # type: ignore[union-attr]
    # A staged import is applied once, and only by the person who checked it, in that language.
    assert (
        client.post(
            soup_of(report).select_one("form.review-apply")["action"],
            data={"csrf_token": token_of(client, "/review/fr/transfer")},
        ).status_code
        == 404
    )


def test_a_staged_import_is_invisible_to_others_and_to_the_staff_import(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    client = as_user("reviewer_fr")
    exported = export(client, "fr").decode()
    home = store.translation("fr", MESSAGES, "", HOME)
    assert home is not None
    report = upload(client, "fr", replace_text(exported, HOME, home.text, "Texte du fichier").encode())
    action = soup_of(report).select_one("form.review-apply")["action"]
    admin = as_user("admin")
    token = token_of(admin, "/review/fr/transfer")
    assert admin.post(action, data={"csrf_token": token}).status_code == 404
    staff_apply = action.replace("/review/fr/import/", "/staff/import/")
    assert admin.post(staff_apply, data={"csrf_token": token}).status_code == 404
    assert store.translation("fr", MESSAGES, "", HOME).text == home.text  # type: ignore[union-attr]


def test_a_file_that_fails_a_check_is_imported_as_a_draft(
    as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    client = as_user("reviewer")
    msgid = "Question %(number)d of about %(total)d"
    exported = export(client, "es").decode()
    row = store.translation("es", MESSAGES, "", msgid)
    assert row is not None
    old = f'#, python-format\nmsgid "{msgid}"\nmsgstr "{row.text}"'
    assert old in exported
    edited = exported.replace(
        old, f'#, python-format, approved\nmsgid "{msgid}"\nmsgstr "Pregunta %(number)d"', 1
    )
    report = upload(client, "es", edited.encode(), "es.po")
    text = soup_of(report).select_one("#changed-heading").find_parent("section").get_text(" ")
    assert (
        "Fails a check that blocks approval: written as a draft." in text
        and "Placeholders must match" in text
    )
    apply(client, report)
    assert store.translation("es", MESSAGES, "", msgid).status == "draft"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("data", "filename", "status", "words"),
    [
        (b"\xff\xfe not utf-8 \x81", "es.po", 422, "not UTF-8"),
        (b'msgid "a"\nmsgstr "b"\nmsgid broken', "es.po", 422, "not a valid .po file"),
        (b'msgid ""\nmsgstr "Language: fr\\n"\n', "es.po", 422, "in another language"),
        (b'{"not": "po"}', "es.json", 422, "Choose a .po file"),
        (b"", "", 422, "Choose a .po file to import"),
    ],
)
def test_bad_uploads_are_explained_and_write_nothing(
    as_user: Callable[[str], FlaskClient], store: Store, data: bytes, filename: str, status: int, words: str
) -> None:
    client = as_user("reviewer")
    before = store.translations("es")
    response = upload(client, "es", data, filename)
    assert response.status_code == status
    soup = check_page(response)
    assert words in soup.get_text()
    assert soup.select_one("form.review-apply") is None
    assert store.translations("es") == before


def test_a_file_over_the_size_limit_gets_a_clear_413_page(
    review_app: Flask, as_user: Callable[[str], FlaskClient], store: Store
) -> None:
    review_app.config["MAX_IMPORT_BYTES"] = 10_000
    client = as_user("reviewer")
    before = store.translations("es")
    response = upload(client, "es", b"#" * 200_000, "es.po")
    assert response.status_code == 413
    soup = check_page(response)
    assert "larger than" in soup.get_text() and "Nothing was imported" in soup.get_text()
    # A file under the body limit but over the file limit is refused the same way.
    response = upload(client, "es", b"#" * 20_000, "es.po")
    assert response.status_code == 413
    assert store.translations("es") == before


def test_the_export_command_writes_an_approved_change_with_its_flag(
    review_app: Flask,
    as_user: Callable[[str], FlaskClient],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    save(as_user("reviewer"), "es", message_sid(HOME), "approve", "Jubilarse y cumplir 65 años (revisado)")
    save(
        as_user("reviewer"),
        "es",
        content_sid(*SUMMARY),
        "approve",
        "Un pago mensual al jubilarse (revisado).",
    )
    folder = tmp_path / "translations"
    folder.mkdir()
    for name in ("messages.pot", "content.pot"):
        shutil.copy(i18n_catalogs.TRANSLATIONS / name, folder / name)
    monkeypatch.setattr(i18n_catalogs, "TRANSLATIONS", folder)
    monkeypatch.setattr(i18n_catalogs, "ROOT", tmp_path)
    env = {"NAVIGATOR_DATABASE": review_app.config["DATABASE"], "NAVIGATOR_SECRET_KEY": "cli"}
    result = CliRunner().invoke(main, ["translations", "export", "--locale", "es"], env=env)
    assert result.exit_code == 0, result.output
    messages = (folder / "es" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert f'#, approved\nmsgid "{HOME}"\nmsgstr "Jubilarse y cumplir 65 años (revisado)"' in messages
    content = (folder / "es" / "LC_MESSAGES" / "content.po").read_text(encoding="utf-8")
    entry = content.split('msgctxt "service:ssa-retirement-benefits#summary"')[0].rsplit("\n\n", 1)[-1]
    assert "#, approved" in entry
    assert 'msgstr "Un pago mensual al jubilarse (revisado)."' in content
