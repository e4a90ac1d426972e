"""Share a plan by a link that carries the answers: signed so changes are detected, not secret."""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from navigator.public.flow import Flow

SALT = "share-plan-v1"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(flow: Flow) -> str:
    """A compact, signed token holding the life experiences and answers."""
    return str(_serializer().dumps({"le": flow.slugs, "a": flow.answers, "h": flow.helping}))


def flow_from(token: str) -> dict[str, Any] | None:
    """The shared answers, or None when the token was changed or cut short."""
    if len(token) > 4000:
        return None
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None
