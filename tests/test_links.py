"""`navigator links check` against a local server: redirects, HEAD refused, broken, slow."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from navigator.cli import main
from services_index.links import check, check_all


class Handler(BaseHTTPRequestHandler):
    def _answer(self, body: bool) -> None:
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path == "/no-head":
            self.send_response(200)
        elif self.path == "/slow":
            time.sleep(1.5)
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2" if body else "0")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(body=True)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_each_kind_of_link(server: str) -> None:
    ok = check(server + "/ok")
    assert ok.ok and ok.status == 200 and ok.method == "HEAD"
    moved = check(server + "/moved")
    assert moved.ok and moved.redirects == [f"301 {server}/ok"] and moved.final_url == server + "/ok"
    no_head = check(server + "/no-head")
    assert no_head.ok and no_head.method == "GET"
    gone = check(server + "/gone")
    assert not gone.ok and gone.status == 404
    slow = check(server + "/slow", timeout=0.5)
    assert not slow.ok and slow.error == "timed out"
    refused = check("http://127.0.0.1:9/nothing", timeout=1)
    assert not refused.ok and refused.error


def test_many_links_keep_their_order(server: str) -> None:
    urls = [server + p for p in ("/ok", "/gone", "/moved", "/ok")]
    results = check_all(urls, workers=3)
    assert [r.url for r in results] == urls[:3]


def test_command_writes_a_report_and_fails_on_broken_links(server: str, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    env = {"NAVIGATOR_DATABASE": str(tmp_path / "l.db"), "NAVIGATOR_SECRET_KEY": "t"}
    runner = CliRunner()
    runner.invoke(main, ["init-db"], env=env)
    result = runner.invoke(
        main,
        [
            "links",
            "check",
            "--report",
            str(report),
            "--url",
            server + "/ok",
            "--url",
            server + "/moved",
            "--url",
            server + "/gone",
        ],
        env=env,
    )
    assert result.exit_code == 1
    assert "checked 3 URLs: 2 ok (1 redirected), 1 broken" in result.output
    assert f"REDIRECT {server}/moved -> {server}/ok" in result.output
    saved = json.loads(report.read_text())
    assert saved["checked"] == 3 and {r["url"] for r in saved["results"] if not r["ok"]} == {server + "/gone"}
