"""Plain-language rewordings of the English: who proposed one, and accepting it everywhere it lives.

Interface text keeps its English in the templates, so an accepted rewording is an approved
locale ``en`` row that the public catalog shows instead. A field of a service lives in the
index, so accepting a rewording of it also saves and publishes the entry through the staff
write path: the index's English really changes, and translations of the old English go stale.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from services_index.translations import CONTENT

if TYPE_CHECKING:
    from services_index.store import Store

PROPOSED = "proposed"


class RewordError(Exception):
    """A rewording cannot be accepted as things are; the message says why and what to do."""


def proposer(history: list[Mapping[str, Any]]) -> str:
    """Who made the current proposal: the author of the newest ``proposed`` entry (newest first)."""
    for entry in history:
        if entry.get("action") == PROPOSED:
            return str(entry.get("author") or "")
    return ""


def _parent_and_key(data: dict[str, Any], field: str) -> tuple[Any, Any]:
    """Where a content field lives in an entry's data: the containing object and the key in it."""
    if field in ("name", "summary", "cost", "processing_time"):
        return data, field
    head, _, rest = field.partition(".")
    if head in ("apply", "deadline") and rest:
        return data.get(head), rest
    if head == "forms" and rest:
        for form in data.get("forms") or []:
            if isinstance(form, dict) and str(form.get("number", "")).strip() == rest:
                return form, "name"
        return None, None
    if field.startswith("eligibility/"):
        node: Any = data.get("eligibility")
        for step in [s for s in field[len("eligibility/") :].split("/") if s]:
            if isinstance(node, dict):
                node = node.get(step)
            elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
                node = node[int(step)]
            else:
                return None, None
        return node, "label"
    return None, None


def set_content_field(data: Mapping[str, Any], field: str, expected: str, text: str) -> dict[str, Any]:
    """A copy of an entry's data with one text field replaced; RewordError when it is not ``expected`` now."""
    changed = copy.deepcopy(dict(data))
    parent, key = _parent_and_key(changed, field)
    if not isinstance(parent, dict) or not isinstance(parent.get(key), str):
        raise RewordError(f"The entry has no field {field} any more.")
    if parent[key].strip() != expected.strip():
        raise RewordError(
            "The English of this field was changed in the index since the rewording was proposed. "
            "Propose the rewording again from the current English."
        )
    parent[key] = text
    return changed


def accept(store: Store, domain: str, context: str, field: str, author: str, comment: str = "") -> int:
    """Accept the proposed English of a string; returns how many translations became stale.

    For a service field the entry is saved and published first (one transaction), so the index's
    English changes and its translations are marked stale; the ``en`` row is then approved.
    """
    row = store.translation("en", domain, context, field)
    if row is None or row.status != "needs_review":
        raise RewordError("There is no proposed rewording of this text waiting for review.")
    if domain == CONTENT and context.startswith("service:"):
        _publish_rewording(store, context.split(":", 1)[1], field, row.source, row.text, author)
    return store.accept_english(domain, context, field, author, comment)


def _publish_rewording(
    store: Store, service_id: str, field: str, english: str, text: str, author: str
) -> None:
    """Save and publish an entry with one field reworded, through the staff write path."""
    entry = store.staff_entry(service_id)
    if entry is None or entry.state != "published":
        raise RewordError("This service is not published, so its English cannot be changed from here.")
    if entry.unpublished_changes:
        raise RewordError(
            "Agency staff have saved changes to this service that are not published yet. "
            "Ask them to publish or undo those first, so they are not published by accident."
        )
    data = set_content_field(entry.data, field, english, text)
    with store.transaction():
        result = store.save_service(
            data, entry.revision, author, f"Plain-language rewording of {field} accepted", "reword"
        )
        if result.saved:
            store.publish(service_id, result.revision, author)
