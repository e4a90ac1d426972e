"""Languages: which locale a request uses, and the ``/<lang>/`` URL prefix.

Precedence: the URL prefix, then the person's explicit choice (kept in the session),
then the browser's Accept-Language (with aliases such as ``zh-CN``), then English.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from babel.dates import get_month_names
from babel.support import NullTranslations
from flask import Flask, current_app, g, request, session, url_for
from flask_babel import Babel, format_date, get_locale, get_translations
from markupsafe import Markup
from werkzeug.routing import BaseConverter

from services_index.translations import (
    PUBLIC_WHEN_APPROVED_ONLY,
    PUBLIC_WHEN_DRAFTS_SHOWN,
    CatalogTranslations,
    agency_texts,
    service_texts,
)

RTL = {"ar"}
# Each language named in its own words, for the language menu.
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Español",
    "zh_Hans": "简体中文",
    "zh_Hant": "繁體中文",
    "vi": "Tiếng Việt",
    "ko": "한국어",
    "fil": "Filipino",
    "ar": "العربية",
    "ru": "Русский",
    "ht": "Kreyòl ayisyen",
    "fr": "Français",
    "pt": "Português",
}
# Browser tags that name one of our locales differently; keys are lower case.
ALIASES = {
    "tl": "fil",
    "zh-cn": "zh_Hans",
    "zh-sg": "zh_Hans",
    "zh-hans": "zh_Hans",
    "zh-tw": "zh_Hant",
    "zh-hk": "zh_Hant",
    "zh-mo": "zh_Hant",
    "zh-hant": "zh_Hant",
    "zh": "zh_Hans",
    "pt-br": "pt",
    "pt-pt": "pt",
}


def locales() -> tuple[str, ...]:
    """The locales this app serves."""
    configured: tuple[str, ...] = current_app.config["LOCALES"]
    return configured


def from_accept_language(header_locales: list[tuple[str, float]], supported: tuple[str, ...]) -> str | None:
    """The best supported locale for an Accept-Language header, honouring aliases."""
    by_lower = {loc.lower(): loc for loc in supported}
    for tag, _quality in header_locales:
        tag = tag.lower().replace("_", "-")
        for candidate in (tag, ALIASES.get(tag, ""), tag.split("-")[0], ALIASES.get(tag.split("-")[0], "")):
            key = candidate.lower().replace("-", "_") if candidate else ""
            if key in by_lower:
                return by_lower[key]
    return None


def select_locale() -> str:
    """The locale for this request, in the documented order."""
    supported = locales()
    prefixed = g.get("lang_prefix")
    if prefixed:
        return str(prefixed)
    chosen = session.get("lang")
    if chosen in supported:
        return str(chosen)
    best = from_accept_language(list(request.accept_languages), supported)
    return best or "en"


class LangConverter(BaseConverter):
    """Matches only a configured locale code in the URL prefix."""

    def __init__(self, url_map: Any, *items: str):
        super().__init__(url_map)
        self.regex = "(?:" + "|".join(sorted(items, key=len, reverse=True)) + ")"


def direction(locale: str) -> str:
    """Text direction for a locale."""
    return "rtl" if locale.split("_")[0] in RTL else "ltr"


def html_lang(locale: str) -> str:
    """The BCP 47 tag for ``<html lang>`` (zh_Hans becomes zh-Hans)."""
    return locale.replace("_", "-")


def init_app(app: Flask) -> None:
    """Set up Flask-Babel and the language URL converter."""
    Babel(app, locale_selector=select_locale, timezone_selector=lambda: app.config["TIMEZONE"])
    install_template_helpers(app)
    app.url_map.converters["lang"] = type(
        "ConfiguredLang",
        (LangConverter,),
        {"__init__": lambda self, url_map: LangConverter.__init__(self, url_map, *app.config["LOCALES"])},
    )


def current_locale() -> str:
    """The locale of this request as a string (looked up once per request)."""
    found: str | None = g.get("_locale")
    if found is None:
        found = g._locale = str(get_locale() or "en")
    return found


def month_names() -> list[tuple[int, str]]:
    """Month numbers with their names in the current language."""
    names = get_month_names("wide", locale=get_locale())
    return [(n, names[n]) for n in range(1, 13)]


_ENGLISH = NullTranslations()
_catalog_lock = threading.Lock()
_catalogs: dict[tuple[str, str, bool], NullTranslations] = {}


def translations_for(locale: str) -> NullTranslations:
    """The translations of a locale from the database's working copy, built once per index version.

    Only translations the public may see are included (approved, or drafts too when the setting
    allows); anything else falls back to English. When the database cannot be read, the compiled
    catalogs in ``translations/`` are used so that even error pages are in the person's language.
    """
    from navigator.db import index_version
    from services_index.store import StoreError

    overlay: CatalogTranslations | None = g.get("_review_overlay")
    if overlay is not None and overlay.locale == locale:
        return overlay
    show_drafts = bool(current_app.config["SHOW_DRAFT_TRANSLATIONS"])
    try:
        version = index_version()
    except StoreError:
        return get_translations()
    key = (locale, version, show_drafts)
    found = _catalogs.get(key)
    if found is None:
        statuses = PUBLIC_WHEN_DRAFTS_SHOWN if show_drafts else PUBLIC_WHEN_APPROVED_ONLY
        with _catalog_lock:
            found = _catalogs.get(key)
            if found is None:
                found = _build_catalog(locale, statuses)
                for old in [k for k in _catalogs if k[1] != version]:
                    del _catalogs[old]
                _catalogs[key] = found
    return found


def _build_catalog(locale: str, statuses: tuple[str, ...]) -> NullTranslations:
    """A locale's catalog; reviewed English rewordings stand in for the English it falls back to."""
    from navigator.db import get_store

    store = get_store()
    english, _ = store.translation_catalog("en", PUBLIC_WHEN_APPROVED_ONLY)
    if locale == "en":
        return CatalogTranslations("en", english, {}) if english else _ENGLISH
    singular, plural = store.translation_catalog(locale, statuses)
    return CatalogTranslations(locale, singular, plural, english)


def overlay_catalog(locale: str, source: str, text: str, plurals: list[str]) -> CatalogTranslations:
    """The public catalog of a locale with one string replaced by a reviewer's draft (for previews).

    ``translations_for`` returns it for the rest of the request once it is set as ``g._review_overlay``.
    """
    base = translations_for(locale)
    known = base if isinstance(base, CatalogTranslations) else None
    singular = dict(known.singular) if known else {}
    plural = dict(known.plural) if known else {}
    singular[source] = text
    if plurals and locale != "en":
        plural[source] = list(plurals)
    return CatalogTranslations(locale, singular, plural, known.english if known else None)


def request_translations() -> NullTranslations:
    """This request's translations, looked up once: pages call gettext hundreds of times."""
    cached: NullTranslations | None = g.get("_translations")
    if cached is None:
        cached = translations_for(current_locale())
        g._translations = cached
    return cached


def gettext(message: str, **variables: Any) -> str:
    """Translate interface text in Python code, in the locale in force (``force_locale`` works)."""
    text = translations_for(str(get_locale() or "en")).gettext(message)
    return text % variables if variables else text


def has_translation(text: str) -> bool:
    """True when ``text`` is shown translated in this request's language (English always is)."""
    catalog = request_translations()
    return not isinstance(catalog, CatalogTranslations) or catalog.has(text)


def translate(text: str) -> str:
    """Translate text that comes from data files (its English is the message id)."""
    return request_translations().ugettext(text) if text else text


def ui_gettext(message: str, **variables: Any) -> Markup:
    """Templates' ``_()``: our own catalog text is trusted; variables are escaped."""
    text = Markup(request_translations().ugettext(message))
    return text % variables if variables else text


def ui_ngettext(singular: str, plural: str, num: int, **variables: Any) -> Markup:
    """Templates' ``ngettext()``, with ``%(num)d`` available as in Jinja's i18n extension."""
    text = Markup(request_translations().ungettext(singular, plural, num))
    return text % {"num": num, **variables}


HTMX_CONFIG = json.dumps(
    {
        # Inline indicator styles would break the strict Content-Security-Policy.
        "includeIndicatorStyles": False,
        "allowEval": False,
        "allowScriptTags": False,
        "selfRequestsOnly": True,
        "historyCacheSize": 0,
        "refreshOnHistoryMiss": True,
        # Error pages and forms with mistakes are swapped in like any other page.
        "responseHandling": [
            {"code": "204", "swap": False},
            {"code": "[2345]..", "swap": True},
        ],
    }
)


def bound_helpers() -> dict[str, Any]:
    """Translation functions bound to this request's catalog, made once per page render."""
    catalog = request_translations()
    lookup, plural = catalog.ugettext, catalog.ungettext

    def gettext_(message: str, **variables: Any) -> Markup:
        text = Markup(lookup(message))
        return text % variables if variables else text

    def ngettext_(singular: str, plural_: str, num: int, **variables: Any) -> Markup:
        return Markup(plural(singular, plural_, num)) % {"num": num, **variables}

    def t(text: str) -> str:
        return lookup(text) if text else text

    english = _ENGLISH_ATTRIBUTE
    translated: Callable[[str], bool] = catalog.has if isinstance(catalog, CatalogTranslations) else _always

    def lang_of(text: str) -> Markup:
        """` lang="en"` for text shown in English on a page in another language."""
        return english if text and not translated(text) else Markup("")

    def service_translated(service: Any, agency: Any) -> bool:
        texts = [item.source for item in service_texts(service)] + [
            item.source for item in agency_texts(agency)
        ]
        return all(translated(text) for text in texts)

    return {
        "_": gettext_,
        "gettext": gettext_,
        "ngettext": ngettext_,
        "t": t,
        "lang_of": lang_of,
        "service_translated": service_translated,
    }


def _always(text: str) -> bool:
    return True


def _entry_texts(service: Any, agency: Any) -> list[str]:
    return [item.source for item in (*service_texts(service), *agency_texts(agency))]


_ENGLISH_ATTRIBUTE = Markup(' lang="en"')


def lang_of(text: str) -> Markup:
    """` lang="en"` for text shown in English on a page in another language (for macro modules)."""
    return _ENGLISH_ATTRIBUTE if text and not has_translation(text) else Markup("")


def service_translated(service: Any, agency: Any) -> bool:
    """True when every public field of a service and its agency is shown translated."""
    return all(has_translation(text) for text in _entry_texts(service, agency))


def language_links() -> list[tuple[str, str, str]]:
    """(code, name, address) for every language: this page in that language where possible."""
    endpoint = request.endpoint or ""
    can_get = bool(endpoint) and any(
        "GET" in (rule.methods or ()) for rule in current_app.url_map.iter_rules(endpoint)
    )
    if not endpoint.startswith("public.") or not can_get:
        endpoint = "public.index"
        arguments: dict[str, Any] = {}
    else:
        arguments = {**(request.view_args or {}), **request.args.to_dict()}
    arguments.pop("lang_code", None)
    links = []
    for code in locales():
        links.append((code, LANGUAGE_NAMES.get(code, code), url_for(endpoint, lang_code=code, **arguments)))
    return links


def install_template_helpers(app: Flask) -> None:
    """Make language helpers available in every template."""
    app.jinja_env.globals.update(
        current_locale=current_locale,
        html_lang=html_lang,
        text_direction=direction,
        month_names=month_names,
        format_date=format_date,
        htmx_config=lambda: HTMX_CONFIG,
        language_links=language_links,
        lang_of=lang_of,
        service_translated=service_translated,
    )
    app.jinja_env.filters["t"] = translate
    # Replace Flask-Babel's template callables, which look the translations up on every call.
    app.jinja_env.globals.update(_=ui_gettext, gettext=ui_gettext, ngettext=ui_ngettext, t=translate)
    # Pages shadow those with functions bound to the request's catalog, looked up once.
    app.context_processor(bound_helpers)
