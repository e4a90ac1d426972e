"""Shared fixtures: the real question bank and content, an app on a fresh SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from life_experiences.loader import load_bank
from life_experiences.model import Bank
from life_experiences.rules import Context
from services_index.content import Content, load_content

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank()


@pytest.fixture(scope="session")
def content(bank: Bank) -> Content:
    return load_content(bank)


@pytest.fixture()
def ctx(bank: Bank) -> Context:
    return Context(TODAY, bank.poverty)


@pytest.fixture()
def app(tmp_path: Path) -> Iterator[Flask]:
    from navigator import create_app

    app = create_app(
        {
            "DATABASE": str(tmp_path / "navigator.db"),
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
        }
    )
    yield app
    app.extensions["navigator.store"].close()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()
