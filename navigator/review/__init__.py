"""The review workspace: plain-language reviewers translate and reword public text (``/review/...``)."""

from navigator.review import editor, glossary, preview, queue, transfer  # noqa: F401 - these register the views
from navigator.review.blueprint import bp

__all__ = ["bp"]
