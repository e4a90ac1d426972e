"""Schemathesis generates requests from openapi.json: no 5xx, and every response matches it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from navigator import create_app

APP = create_app(
    {
        "DATABASE": str(Path(tempfile.mkdtemp(prefix="navigator-fuzz-")) / "fuzz.db"),
        "SECRET_KEY": "fuzz",
        "TESTING": True,
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_keeps_its_contract(case: schemathesis.Case) -> None:
    case.call_and_validate()
