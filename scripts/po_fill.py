"""Fill translations into one catalog from a JSON answers file: {"<key>": "text"} or, for plurals,
{"<key>": ["form 0", "form 1", ...]}. Keys come from scripts/po_todo.py.

    .venv/bin/python scripts/po_fill.py es messages answers.json [--status draft|needs_review|approved]

Refuses a translation whose placeholders (%(name)s, %(num)d, {name}) differ from the English, and
reports it; everything else is written. The catalog is rewritten in the project's format.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
STATUS_FLAGS = {"draft": set(), "needs_review": {"needs_review"}, "approved": {"approved"}}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("locale")
    parser.add_argument("domain", choices=["messages", "content"])
    parser.add_argument("answers", type=Path)
    parser.add_argument("--status", choices=sorted(STATUS_FLAGS), default="draft")
    args = parser.parse_args()
    path = ROOT / "translations" / args.locale / "LC_MESSAGES" / f"{args.domain}.po"
    # Several translators may fill one catalog at once: one writer at a time.
    with (path.parent / f".{args.domain}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return fill(path, args)


def fill(path: Path, args: argparse.Namespace) -> int:
    """Read, fill and rewrite one catalog (the caller holds the lock)."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=None)
    answers = json.loads(args.answers.read_text(encoding="utf-8"))
    by_key = {}
    for message in catalog:
        if message.id:
            singular = message.id[0] if isinstance(message.id, tuple | list) else message.id
            by_key[f"{message.context}\u0004{singular}" if message.context else singular] = message
    filled = refused = unknown = 0
    for key, text in answers.items():
        message = by_key.get(key)
        if message is None:
            unknown += 1
            print(f"unknown key: {key[:80]!r}", file=sys.stderr)
            continue
        plural = isinstance(message.id, tuple | list)
        if plural and isinstance(text, str):
            text = [text] * catalog.num_plurals
        if not plural and not isinstance(text, str):
            print(f"not a plural message, give one string: {key[:80]!r}", file=sys.stderr)
            refused += 1
            continue
        english = message.id[1] if plural else message.id
        want = sorted(PLACEHOLDER.findall(english))
        forms = text if plural else [text]
        bad = [f for f in forms if sorted(PLACEHOLDER.findall(f)) != want and not (
            plural and set(PLACEHOLDER.findall(f)) <= set(want))]
        if bad or not all(f.strip() for f in forms):
            print(f"refused (placeholders {want} or empty): {key[:80]!r} -> {forms!r}", file=sys.stderr)
            refused += 1
            continue
        message.string = tuple(forms) if plural else text
        message.flags -= {"fuzzy", "approved", "needs_review"}
        message.flags |= STATUS_FLAGS[args.status]
        message.previous_id = []
        filled += 1
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, include_previous=True)
    print(f"filled {filled}, refused {refused}, unknown keys {unknown}")
    return 1 if refused or unknown else 0


if __name__ == "__main__":
    sys.exit(main())
