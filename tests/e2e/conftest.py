"""A live server on 127.0.0.1 and Debian's chromium driven by Playwright."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


SECRET_KEY = "e2e-secret-key-not-for-production"


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free port of 127.0.0.1 in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app the browser tests use, on a fresh database (tests reach it for staff accounts)."""
    from navigator import create_app

    db = tmp_path_factory.mktemp("e2e") / "navigator.db"
    return create_app({"DATABASE": str(db), "SECRET_KEY": SECRET_KEY})


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    with serving(live_app) as base:
        yield base


@pytest.fixture(scope="session")
def state_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second server where "Surviving a disaster" also lists the ``state`` question.

    No life experience asks "Where do you live?" yet, so its page (a select of states) can be
    shown only here. The secret key is the live server's: both are on 127.0.0.1, where the
    browser sends them the same cookie.
    """
    from navigator import create_app

    db = tmp_path_factory.mktemp("e2e-state") / "navigator.db"
    app = create_app({"DATABASE": str(db), "SECRET_KEY": SECRET_KEY})
    experiences = app.extensions["navigator.bank"].experiences
    experiences["disaster"] = replace(
        experiences["disaster"], questions=(*experiences["disaster"].questions, "state")
    )
    with serving(app) as base:
        yield base


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    yield browser
    browser.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture()
def nojs_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1024, "height": 800})
    page = context.new_page()
    yield page
    context.close()
