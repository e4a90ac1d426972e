"""The Federal Front Door navigator web app (``flask --app navigator run``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, url_for
from flask_wtf.csrf import CSRFProtect

from life_experiences.loader import load_bank
from navigator import config, errors, i18n, security
from services_index.content import load_content
from services_index.store import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent
csrf = CSRFProtect()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, database ready and seeded, blueprints registered."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
    )
    app.config.update(config.from_environment(Path(app.instance_path)))
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(Path(app.instance_path))
    app.session_interface = security.CheckedSessionInterface()
    app.json = security.HtmlSafeJSONProvider(app)
    app.jinja_env.autoescape = True
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    bank = load_bank()
    store = Store(
        app.config["DATABASE"],
        bank,
        read_only=app.config["READ_ONLY"],
        busy_timeout_ms=app.config["BUSY_TIMEOUT_MS"],
    )
    if app.config.get("AUTO_SEED", True):
        try:
            store.ensure_ready(load_content(bank))
            if not store.read_only and not store.has_translations():
                store.seed_translations(translation_rows(app.config["LOCALES"]))
                if not app.testing:
                    # Parsed catalogs are only needed to seed; a server does not keep them in memory.
                    _rows_cache.clear()
        except StoreError as exc:
            # A read-only node can start without its snapshot; each page then says so clearly.
            if not store.read_only:
                raise
            logging.getLogger("navigator").error("index unavailable at start: %s", exc)
    app.extensions["navigator.bank"] = bank
    app.extensions["navigator.store"] = store

    # Registered before CSRF protection, which reads the body, so per-view size limits apply to it.
    app.before_request(security.apply_body_limits)
    csrf.init_app(app)
    i18n.init_app(app)
    register_blueprints(app)
    from navigator.fragments import language_menu, service_card, service_part

    app.jinja_env.globals["language_menu"] = language_menu
    app.jinja_env.globals["csrf_token"] = security.csrf_token
    app.jinja_env.globals["service_part"] = service_part
    app.jinja_env.globals["service_card"] = service_card
    app.jinja_env.globals["static_url"] = static_urls(app)
    errors.init_app(app)
    app.after_request(security.add_headers)
    logging.getLogger("navigator").setLevel(logging.INFO)
    return app


_rows_cache: dict[tuple[Any, ...], list[Any]] = {}


def translation_rows(locales: tuple[str, ...]) -> list[Any]:
    """The translations kept in ``translations/`` (parsed once per process and file change)."""
    from services_index.translations import catalog_path, load_translation_files

    directory = ROOT / "translations"
    stamp = tuple(
        (str(path), path.stat().st_mtime_ns)
        for locale in locales[1:]
        for path in (catalog_path(directory, locale, "messages"), catalog_path(directory, locale, "content"))
        if path.exists()
    )
    found = _rows_cache.get(stamp)
    if found is None:
        _rows_cache.clear()
        found = _rows_cache[stamp] = load_translation_files(directory, locales[1:])
    return found


def static_urls(app: Flask) -> Callable[[str], str]:
    """URLs of our static files, built once: they never change while the app runs."""
    built: dict[str, str] = {}

    def static_url(filename: str) -> str:
        found = built.get(filename)
        if found is None:
            found = built[filename] = url_for("static", filename=filename)
        return found

    return static_url


def register_blueprints(app: Flask) -> None:
    """Register every blueprint in one place."""
    from navigator.api.views import bp as api
    from navigator.public.views import bp as public
    from navigator.review import bp as review
    from navigator.staff import bp as staff

    app.register_blueprint(public)
    app.register_blueprint(api, url_prefix="/api/v1")
    app.register_blueprint(staff, url_prefix="/staff")
    app.register_blueprint(review, url_prefix="/review")
    csrf.exempt(api)
