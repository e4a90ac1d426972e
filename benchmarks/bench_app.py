"""The real app plus a hello-world route, so both are measured under the same server."""

from __future__ import annotations

from navigator import create_app

app = create_app()


@app.get("/__hello")
def hello() -> str:
    """The baseline: the cheapest response this app can give."""
    return "Hello, world!"
