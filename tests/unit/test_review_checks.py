"""The checks a reviewer sees when saving a translation."""

from __future__ import annotations

from life_experiences.readability import fernandez_huerta, spanish_syllables
from services_index.review_checks import GlossaryTerm, blocking, check_translation

GLOSSARY = [GlossaryTerm("Social Security", "Seguro Social"), GlossaryTerm("Medicare", "Medicare")]


def kinds(checks: list) -> set[str]:  # type: ignore[type-arg]
    return {c.kind for c in checks}


def test_placeholders_must_match() -> None:
    checks = check_translation("Go to %(name)s", "Ir a %(nombre)s", "es")
    assert "placeholders" in kinds(blocking(checks))
    assert not blocking(check_translation("Go to %(name)s", "Ir a %(name)s", "es"))
    assert "placeholders" in kinds(check_translation("{count} days", "días", "es"))


def test_markup_must_balance_and_match() -> None:
    assert "markup" in kinds(check_translation("Read <b>this</b>", "Lea <b>esto", "es"))
    assert "markup" in kinds(check_translation("Read <b>this</b>", "Lea <i>esto</i>", "es"))
    assert "markup" not in kinds(check_translation("Read <b>this</b>", "Lea <b>esto</b>", "es"))


def test_glossary_is_respected() -> None:
    checks = check_translation("Apply for Social Security", "Solicite la Seguridad Social", "es", GLOSSARY)
    assert "glossary" in kinds(checks)
    ok = check_translation(
        "Apply for Social Security and Medicare", "Solicite Seguro Social y Medicare", "es", GLOSSARY
    )
    assert "glossary" not in kinds(ok)


def test_empty_unchanged_and_length_are_flagged() -> None:
    assert kinds(blocking(check_translation("Hello there", "  ", "fr"))) == {"empty"}
    assert "unchanged" in kinds(check_translation("Continue to the plan", "Continue to the plan", "fr"))
    long = check_translation("A short sentence of text.", "Une phrase " * 20, "fr")
    assert "length" in kinds(long)
    assert "length" not in kinds(check_translation("A short sentence of text.", "Une courte phrase.", "fr"))


def test_reading_level_for_english_and_spanish() -> None:
    hard = (
        "Notwithstanding eligibility determinations, beneficiaries experiencing administrative complications "
        "should communicate expeditiously with representatives."
    )
    english = [c for c in check_translation(hard, hard, "en") if c.kind == "reading"]
    assert english and english[0].severity == "warning"
    easy = check_translation("You can get a check each month. Call us today to ask.", "x", "en")
    assert not [c for c in easy if c.kind == "reading" and c.severity == "warning"]
    spanish = [
        c
        for c in check_translation(
            "x y z a b c d e", "Usted puede recibir un pago cada mes. Llame hoy.", "es"
        )
    ]
    assert [c.severity for c in spanish if c.kind == "reading"] == ["info"]


def test_spanish_syllables_and_reading_ease() -> None:
    assert [spanish_syllables(w) for w in ("casa", "día", "ciudad", "país", "aeropuerto", "hay")] == [
        2,
        2,
        2,
        2,
        5,
        1,
    ]
    assert fernandez_huerta("Usted puede recibir un pago cada mes. Llame hoy.") > 70
    assert (
        fernandez_huerta(
            "La Administración del Seguro Social proporciona beneficios de jubilación a trabajadores que han "
            "contribuido mediante impuestos durante su vida laboral."
        )
        < 50
    )
