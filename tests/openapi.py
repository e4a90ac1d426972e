"""Check JSON responses against our OpenAPI 3.0 document with jsonschema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

DOC = json.loads((Path(__file__).parent.parent / "navigator" / "api" / "openapi.json").read_text())


def _to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 marks null with ``nullable``; JSON Schema uses a null type."""
    if isinstance(node, list):
        return [_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _to_json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        else:
            return {"anyOf": [out, {"type": "null"}]}
    return out


COMPONENTS = _to_json_schema(DOC["components"])


def validate(path: str, method: str, status: int, body: Any) -> None:
    """Assert a response body matches the documented schema for that operation and status."""
    operation = DOC["paths"][path][method]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema.validate(body, {**_to_json_schema(schema), "components": COMPONENTS})
