"""htmx decides only what to render: the whole page, or the page's ``main`` block."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, make_response, render_template, request
from jinja2_fragments.flask import render_block

MAIN_BLOCK = "main"


def is_htmx() -> bool:
    """True when htmx sent the request (and it is not a history restore)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(template: str, status: int = 200, **context: Any) -> Response:
    """Render a page, or just its main block for htmx, and say the response varies on it."""
    if is_htmx():
        body = render_block(template, MAIN_BLOCK, htmx=True, **context)
        # The language menu sits outside the swapped area: refresh it so it points at this page.
        from navigator.fragments import language_menu

        body = str(body) + str(language_menu(oob=True))
        response = make_response(body, status)
    else:
        response = make_response(render_template(template, htmx=False, **context), status)
    response.headers.add("Vary", "HX-Request")
    return response


def htmx_location(url: str) -> Response:
    """Tell htmx to load ``url`` into the main content and push it to history."""
    response = make_response("", 200)
    response.headers["HX-Location"] = json.dumps(
        {"path": url, "target": "#main-content", "swap": "innerHTML"}
    )
    response.headers.add("Vary", "HX-Request")
    return response
