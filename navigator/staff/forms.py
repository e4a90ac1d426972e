"""Reading posted staff forms safely: one value per field, size limits, and only real text."""

from __future__ import annotations

import re
from collections.abc import Collection

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

# Text may hold tabs and line breaks, but no other control characters.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FormError(Exception):
    """One field cannot be used; the message says what to fix."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class BadForm(Exception):
    """The form is not one our pages send (unknown or repeated fields); answered with 400."""


def not_text(value: str) -> bool:
    """True when a value holds bytes that were not valid UTF-8, or control characters."""
    return "\ufffd" in value or bool(CONTROL.search(value))


def single(form: MultiDict[str, str], name: str) -> str:
    """The one value of a field (empty when absent); BadForm when it was sent more than once."""
    values = form.getlist(name)
    if len(values) > 1:
        raise BadForm(_("The field “%(name)s” was sent more than once.", name=name))
    return values[0] if values else ""


def text_field(form: MultiDict[str, str], name: str, max_len: int, label: str, strip: bool = True) -> str:
    """One text field, checked for size and for being real text; FormError otherwise."""
    value = single(form, name)
    if not_text(value):
        raise FormError(name, _("%(label)s has characters that are not text. Type it again.", label=label))
    if len(value) > max_len:
        raise FormError(name, _("%(label)s must be %(max)d characters or fewer", label=label, max=max_len))
    return value.strip() if strip else value


def check_fields(
    form: MultiDict[str, str], allowed: Collection[str], patterns: Collection[re.Pattern[str]]
) -> None:
    """Refuse a form that carries fields our page does not have."""
    for name in form:
        if name in allowed or any(p.match(name) for p in patterns):
            continue
        raise BadForm(_("The form has a field we do not know: “%(name)s”.", name=name[:80]))


class Reader:
    """Reads the fields of one form, keeping an inline error for each field that is not right."""

    def __init__(self, form: MultiDict[str, str]):
        self.form = form
        self.errors: list[dict[str, str]] = []

    def error(self, field: str, message: str) -> None:
        """Note a problem to show next to ``field`` and in the summary."""
        if not any(e["field"] == field for e in self.errors):
            self.errors.append({"field": field, "message": message})

    def text(self, name: str, label: str, max_len: int, required: bool = False) -> str:
        """A text field (trimmed); empty when it is not right."""
        try:
            value = text_field(self.form, name, max_len, label)
        except FormError as exc:
            self.error(exc.field, exc.message)
            return single(self.form, name).strip()[: max_len * 2]
        if required and not value:
            self.error(name, _("Enter %(label)s", label=label.lower()))
        return value

    def many(self, name: str, label: str, choices: Collection[str]) -> list[str]:
        """The values of a group of checkboxes, each one of ``choices``."""
        values = self.form.getlist(name)
        wrong = [v for v in values if v not in choices]
        if wrong:
            self.error(name, _("%(label)s: choose from the list shown", label=label))
        return [v for v in dict.fromkeys(values) if v in choices]

    def flag(self, name: str) -> bool:
        """A checkbox: ticked or not."""
        return single(self.form, name) == "yes"

    def whole_number(self, name: str, label: str, low: int, high: int) -> int | None:
        """A whole number within a range (None when empty or not right)."""
        text = self.text(name, label, 12)
        if not text:
            return None
        try:
            number = int(text)
        except ValueError:
            self.error(name, _("%(label)s must be a whole number", label=label))
            return None
        if not low <= number <= high:
            self.error(name, _("%(label)s must be from %(low)d to %(high)d", label=label, low=low, high=high))
            return None
        return number
