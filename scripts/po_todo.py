"""Print the untranslated (or stale) entries of one catalog as JSON, for translators working in batches.

    .venv/bin/python scripts/po_todo.py es messages [--start 0 --limit 200]

Each item has a "key" (use it unchanged in the answers file for scripts/po_fill.py), the English,
the plural English when there is one, and the notes that say where the text appears.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def key_of(message) -> str:  # type: ignore[no-untyped-def]
    singular = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return f"{message.context}\u0004{singular}" if message.context else singular


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("locale")
    parser.add_argument("domain", choices=["messages", "content"])
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--context-prefix", default="", help="only entries whose context starts with this")
    args = parser.parse_args()
    path = ROOT / "translations" / args.locale / "LC_MESSAGES" / f"{args.domain}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    todo = []
    for message in catalog:
        if not message.id:
            continue
        if args.context_prefix and not (message.context or "").startswith(args.context_prefix):
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if all(strings) and not message.fuzzy:
            continue
        item = {"key": key_of(message)}
        if isinstance(message.id, tuple | list):
            item["english"], item["english_plural"] = message.id[0], message.id[1]
            item["plural_forms_needed"] = catalog.num_plurals
        else:
            item["english"] = message.id
        if message.auto_comments:
            item["notes"] = " | ".join(message.auto_comments)
        todo.append(item)
    json.dump(
        {"remaining": len(todo), "items": todo[args.start : args.start + args.limit]},
        sys.stdout,
        ensure_ascii=False,
        indent=1,
    )
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
