"""Parse a page and check what every page must have."""

from __future__ import annotations

from collections import Counter

from bs4 import BeautifulSoup
from werkzeug.test import TestResponse


def check_page(response: TestResponse) -> BeautifulSoup:
    """Parse a full HTML page and assert the page-wide invariants."""
    assert response.mimetype == "text/html"
    soup = BeautifulSoup(response.get_data(as_text=True), "html5lib")
    html = soup.find("html")
    assert html is not None and html.get("lang"), "html lang is missing"
    assert html.get("dir") in ("ltr", "rtl")
    title = soup.find("title")
    assert title is not None and title.get_text(strip=True), "no title"
    h1s = soup.find_all("h1")
    assert len(h1s) == 1, f"expected one h1, found {len(h1s)}"
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for label in soup.find_all("label", attrs={"for": True}):
        assert label["for"] in ids, f"label for missing id {label['for']}"
    for tag in soup.find_all(attrs={"aria-describedby": True}):
        for ref in tag["aria-describedby"].split():
            assert ref in ids, f"aria-describedby points to missing id {ref}"
    for form in soup.find_all("form"):
        assert form.get("action"), "form without action"
        if form.get("method", "get").lower() == "post":
            assert form.find("input", attrs={"name": "csrf_token"}), "post form without CSRF token"
    for link in soup.find_all("a", href=True):
        if link["href"].startswith("#") and len(link["href"]) > 1:
            assert link["href"][1:] in ids, f"in-page link to missing id {link['href']}"
    assert "Content-Security-Policy" in response.headers
    return soup
