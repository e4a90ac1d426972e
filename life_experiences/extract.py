"""A Babel extractor for the question bank and life-experience data files.

``pybabel extract`` calls :func:`extract_yaml` for each file matched in ``babel.cfg``. Every
piece of text a person can see becomes a message, with a translator comment that says where
it appears (and the question's own ``comment``, which explains its intent).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml

# Keys whose value is shown to people, with how to describe them to a translator.
QUESTION_TEXT = {
    "text": "the question, shown as the page heading",
    "text_other": "the question when someone is helping another person",
    "hint": "hint under the question",
    "hint_other": "hint when someone is helping another person",
    "why": "'Why we ask' explanation",
}
EXPERIENCE_TEXT = {
    "title": "name of a life experience",
    "summary": "one-line description on the home page",
    "intro": "introduction on the start page",
}

Extracted = tuple[int, str | None, str, list[str]]


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar(node: yaml.Node | None) -> str | None:
    if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) and node.tag.endswith(":str"):
        return " ".join(node.value.split()) if "\n" in node.value else node.value.strip()
    return None


def _mapping(node: yaml.Node) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}


def _folded(node: yaml.Node) -> str | None:
    """The value as the loader sees it (folded block scalars joined with single spaces)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    value = yaml.safe_load(yaml.serialize(node))
    return value.strip() if isinstance(value, str) else None


def _labels(node: yaml.Node, where: str) -> Iterator[Extracted]:
    """Every ``label`` inside a rule (shown when explaining a result)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "label":
                text = _folded(value)
                if text:
                    yield _line(value), None, text, [f"{where}: a condition, shown when explaining a result"]
            else:
                yield from _labels(value, where)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _labels(item, where)


def _question(node: yaml.Node) -> Iterator[Extracted]:
    fields = _mapping(node)
    qid = _scalar(fields.get("id")) or "?"
    intent = _folded(fields["comment"]) if "comment" in fields else None
    for key, description in QUESTION_TEXT.items():
        if key in fields:
            text = _folded(fields[key])
            if text:
                comments = [f"Question {qid}: {description}"]
                if intent and key == "text":
                    comments.append(f"About this question: {intent}")
                yield _line(fields[key]), None, text, comments
    options = fields.get("options")
    if isinstance(options, yaml.SequenceNode):
        for option in options.value:
            parts = _mapping(option)
            label = _folded(parts["label"]) if "label" in parts else None
            value = _scalar(parts.get("value")) or "?"
            if label:
                yield _line(parts["label"]), None, label, [f"Question {qid}: answer choice '{value}'"]
    if "ask_if" in fields:
        yield from _labels(fields["ask_if"], f"Question {qid}")


def _experience(node: yaml.Node) -> Iterator[Extracted]:
    fields = _mapping(node)
    slug = _scalar(fields.get("slug")) or "?"
    for key, description in EXPERIENCE_TEXT.items():
        if key in fields:
            text = _folded(fields[key])
            if text:
                yield _line(fields[key]), None, text, [f"Life experience {slug}: {description}"]


def _states(node: yaml.Node) -> Iterator[Extracted]:
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            parts = _mapping(item)
            name = _folded(parts["name"]) if "name" in parts else None
            code = _scalar(parts.get("code")) or "?"
            if name:
                yield _line(parts["name"]), None, name, [f"Name of a U.S. state or territory ({code})"]


def extract_yaml(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[Extracted]:
    """Babel extraction method ``life_experiences`` for files under ``life_experiences/data``."""
    name = str(getattr(fileobj, "name", ""))
    root = yaml.compose(fileobj.read().decode("utf-8"), Loader=yaml.SafeLoader)
    if root is None:
        return
    if name.endswith("states.yaml"):
        yield from _states(root)
    elif "/experiences/" in name.replace("\\", "/"):
        yield from _experience(root)
    elif "/questions/" in name.replace("\\", "/") and isinstance(root, yaml.SequenceNode):
        for item in root.value:
            yield from _question(item)
