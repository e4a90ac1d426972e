"""Nothing a person answers reaches the server's disk or logs; counts and feedback are anonymous."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from flask.testing import FlaskClient

from tests.pages import check_page

# Distinctive answers, so finding them anywhere would mean they were kept.
BIRTH = ("03", "21", "1957")
INCOME = "73519"
SIZE = "7"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Browser:
    """A person with cookies, talking to the real server."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.geturl(), response.read().decode()

    def post(self, path: str, fields: dict[str, str]) -> tuple[str, str]:
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base + path, data=data, timeout=10) as response:
            return response.geturl(), response.read().decode()


def token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def answer_everything(person: Browser, slug: str) -> None:
    _, page = person.get(f"/life-experiences/{slug}")
    url, page = person.post(f"/life-experiences/{slug}/start", {"csrf_token": token(page), "for": "self"})
    for _ in range(40):
        if "/questions/" not in url:
            break
        path = urllib.parse.urlsplit(url).path
        qid = path.rsplit("/", 1)[-1]
        if 'name="year"' in page:
            fields = dict(zip(("month", "day", "year"), BIRTH, strict=True))
        elif qid == "household_size":
            fields = {"answer": SIZE}
        elif 'inputmode="numeric"' in page:
            fields = {"answer": INCOME}
        else:
            values = re.findall(r'name="answer" value="([^"]+)"', page) or re.findall(
                r'<option value="([^"]+)"', page
            )
            fields = {"answer": values[0]}
        url, page = person.post(path, {"csrf_token": token(page), **fields})
    person.get("/plan")
    person.get("/plan/calendar.ics")
    _, page = person.get("/feedback")
    person.post(
        "/feedback",
        {
            "csrf_token": token(page),
            "trust": "yes",
            "drivers": "ease",
            "comment": "Call me at 202-555-0199 or write me@example.com",
        },
    )


def test_complete_flows_leave_no_answers_on_disk_or_in_logs(tmp_path: Path) -> None:
    db = tmp_path / "privacy.db"
    port = free_port()
    log_path = tmp_path / "server.log"
    env = {**os.environ, "NAVIGATOR_DATABASE": str(db), "NAVIGATOR_SECRET_KEY": "privacy-test"}
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "navigator.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for slug in ("retirement", "disaster", "having-a-child"):
            answer_everything(Browser(base), slug)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    logs = log_path.read_text()
    assert '"GET /plan' in logs, "the access log was captured"
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("privacy.db*"))
    for needle in (INCOME, "1957-03-21", "March 21, 1957", "03/21/1957", "202-555-0199", "me@example.com"):
        assert needle not in logs, f"{needle} found in the logs"
        assert needle.encode() not in stored, f"{needle} found in the database"


def test_counts_are_anonymous_and_reloads_do_not_count_twice(app: object, client: FlaskClient) -> None:
    store = app.extensions["navigator.store"]  # type: ignore[attr-defined]
    page = check_page(client.get("/life-experiences/retirement"))
    csrf = str(page.find("input", attrs={"name": "csrf_token"})["value"])
    client.post("/life-experiences/retirement/start", data={"csrf_token": csrf, "for": "self"})
    client.get("/plan")
    client.get("/plan")
    counts = store.step_counts("retirement")
    assert counts["start"] == 1 and counts["plan"] == 1
    columns = {c[1] for c in store.connect().execute("PRAGMA table_info(step_counts)").fetchall()}
    assert columns == {"life_experience", "step", "count"}


def test_feedback_is_scrubbed_and_size_limited(app: object, client: FlaskClient) -> None:
    store = app.extensions["navigator.store"]  # type: ignore[attr-defined]
    page = check_page(client.get("/feedback"))
    csrf = str(page.find("input", attrs={"name": "csrf_token"})["value"])
    missing = client.post("/feedback", data={"csrf_token": csrf})
    assert missing.status_code == 422 and "Choose yes or no" in missing.get_data(as_text=True)
    long = client.post("/feedback", data={"csrf_token": csrf, "trust": "no", "comment": "x" * 1001})
    assert long.status_code == 422 and "1000 characters" in long.get_data(as_text=True)
    done = client.post(
        "/feedback",
        data={
            "csrf_token": csrf,
            "trust": "no",
            "drivers": ["ease", "bogus"],
            "comment": "SSN 123-45-6789, mail a@b.gov",
        },
    )
    assert done.status_code == 200 and "Thank you" in done.get_data(as_text=True)
    row = store.connect().execute("SELECT trust, drivers, comment, day FROM feedback").fetchone()
    assert row[0] == 0 and row[1] == '["ease"]'
    assert "123-45-6789" not in row[2] and "a@b.gov" not in row[2] and "[removed]" in row[2]
    assert len(row[3]) == 10, "only the day is kept, not the time"
