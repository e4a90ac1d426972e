"""A service entry as plain data: its fields in order, a canonical form, and what changed between two."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

# Every field of an entry, in the order people read them (and the order of CSV columns).
FIELDS = (
    "id",
    "name",
    "agency",
    "summary",
    "life_experiences",
    "eligibility",
    "apply",
    "forms",
    "documents",
    "deadline",
    "cost",
    "processing_time",
    "assistance_listing",
    "source_url",
    "last_verified",
    "english_only",
    "url_es",
    "status_url",
    "keywords",
)
# Fields that may be left out; an empty value means the same as leaving them out.
OPTIONAL = {"deadline", "assistance_listing", "url_es", "status_url", "keywords", "forms", "documents"}


def canonical(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry with empty optional fields left out and fields in the usual order."""
    out: dict[str, Any] = {}
    for key in FIELDS:
        if key not in entry:
            if key == "english_only" and entry:
                out[key] = False
            continue
        value = entry[key]
        if key in OPTIONAL and value in (None, "", [], {}):
            continue
        out[key] = value
    for key in sorted(set(entry) - set(FIELDS)):
        out[key] = entry[key]
    return out


def dumps(entry: Mapping[str, Any]) -> str:
    """The stored JSON text of an entry (canonical, keys sorted, so equal entries give equal text)."""
    return json.dumps(canonical(entry), sort_keys=True, ensure_ascii=False)


def changed_fields(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[str]:
    """The top-level fields whose values differ, in field order (every field for a new entry)."""
    old = canonical(before or {})
    new = canonical(after)
    keys = [k for k in FIELDS if k in old or k in new] + sorted((set(old) | set(new)) - set(FIELDS))
    return [k for k in keys if old.get(k) != new.get(k)]


def urls_in(entry: Mapping[str, Any]) -> list[str]:
    """Every URL an entry links to."""
    found = [entry.get(k) for k in ("source_url", "url_es", "status_url")]
    apply = entry.get("apply")
    if isinstance(apply, dict):
        found += [apply.get("online"), apply.get("in_person_url")]
    for form in entry.get("forms") or []:
        if isinstance(form, dict):
            found.append(form.get("url"))
    return [u for u in dict.fromkeys(found) if isinstance(u, str) and u]


def flatten(entry: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Each field of an entry as (name, readable text); nested fields get dotted names."""
    for key, value in canonical(entry).items():
        if key in ("apply", "deadline") and isinstance(value, dict):
            for sub, inner in value.items():
                yield f"{key}.{sub}", _text(inner)
        elif key == "keywords" and isinstance(value, dict):
            for lang, words in sorted(value.items()):
                yield f"keywords.{lang}", _text(words)
        elif key == "forms" and isinstance(value, list):
            for i, form in enumerate(value):
                yield f"forms[{i}]", _text(form)
        else:
            yield key, _text(value)


def _text(value: Any) -> str:
    """A value as text a person can compare: strings as they are, lists one item a line, rules as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    if isinstance(value, dict) and set(value) <= {"number", "name", "url"}:
        return " | ".join(str(value.get(k, "")) for k in ("number", "name", "url"))
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)
