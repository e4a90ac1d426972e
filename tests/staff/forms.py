"""Read a staff form the way a browser would submit it."""

from __future__ import annotations

from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict


def submitted(soup: BeautifulSoup, action: str) -> MultiDict[str, str]:
    """The fields the form posting to ``action`` would send, without pressing any button."""
    form = soup.find("form", attrs={"action": action})
    assert form is not None, f"no form posts to {action}"
    data: MultiDict[str, str] = MultiDict()
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.name == "textarea":
            # The HTML parser drops the first newline after <textarea>, as browsers do.
            data.add(name, field.get_text())
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data.add(name, chosen.get("value", "") if chosen else "")
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.add(name, field.get("value", "on"))
        else:
            data.add(name, field.get("value", ""))
    return data
