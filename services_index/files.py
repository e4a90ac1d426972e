"""Read a JSON data file that should hold a list, with clear problems instead of exceptions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_json_list(path: Path, max_bytes: int, what: str) -> tuple[list[Any], list[str]]:
    """The list in a UTF-8 JSON file, or no items and a message saying what is wrong with the file."""
    if path.stat().st_size > max_bytes:
        return [], [f"{path}: the file is larger than {max_bytes // (1024 * 1024)} MB"]
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        return [], [f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"]
    except json.JSONDecodeError as exc:
        return [], [f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"]
    if not isinstance(data, list):
        return [], [f"{path}: must be a JSON list of {what}"]
    return data, []
