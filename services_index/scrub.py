"""Remove personal details from free-text feedback before it is stored."""

from __future__ import annotations

import re

REMOVED = "[removed]"
EMAIL = re.compile(
    r"[\w.+-]+\s*(?:@|\(at\)|\[at\]|\sat\s)\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\]|\sdot\s)\s*[\w-]+)+",
    re.IGNORECASE,
)
# Social Security numbers: 123-45-6789, 123 45 6789, 123.45.6789, or nine digits in a row.
SSN = re.compile(r"(?<!\d)\d{3}[-.\s]?\d{2}[-.\s]?\d{4}(?!\d)")
# U.S. phone numbers: (202) 555-0100, 202-555-0100, 202.555.0100, +1 202 555 0100, 2025550100.
PHONE = re.compile(r"(?<!\d)(?:\+?1[-.\s]?)?\(?\d{3}\)?[-.\s]?\d{3}[-.\s]?\d{4}(?!\d)")


def scrub(text: str) -> str:
    """The text with email addresses, Social Security numbers and phone numbers removed."""
    text = EMAIL.sub(REMOVED, text)
    text = SSN.sub(REMOVED, text)
    return PHONE.sub(REMOVED, text)
