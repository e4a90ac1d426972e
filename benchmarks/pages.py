"""Question and plan page throughput and latency against hello world, under gunicorn.

Run by hand (`make bench`); prints figures, asserts nothing. Loopback only, bounded in time.
Targets: question page >= 60% of hello-world requests per second, plan page >= 40%.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECRET = "benchmark-secret-key"
PERSONA = {
    "le": ["retirement"],
    "p": [],
    "a": {
        "date_of_birth": "1960-03-10",
        "worked_years": "ten_or_more",
        "citizenship": "citizen",
        "marital_status": "widowed",
        "spouse_worked": "yes",
        "served_in_military": "yes",
        "household_size": 1,
        "household_income": 18000,
        "savings": 3000,
    },
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def workers() -> int:
    """Gunicorn workers, from WEB_CONCURRENCY as `navigator serve` reads it (default 2)."""
    return int(os.environ.get("WEB_CONCURRENCY", "2"))


@contextmanager
def gunicorn(db: Path, count: int) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The app plus /__hello under gunicorn on loopback; yields its base URL and the master process.

    The database must already exist and be seeded, so the workers never race to create it.
    """
    port = free_port()
    env = {**os.environ, "NAVIGATOR_SECRET_KEY": SECRET, "NAVIGATOR_DATABASE": str(db)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(count),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "benchmarks.bench_app:app",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/__hello", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base, server
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


def seeded_app(db: Path) -> Any:
    """The app on the database at ``db``, created and seeded here before any worker starts."""
    os.environ["NAVIGATOR_SECRET_KEY"] = SECRET
    os.environ["NAVIGATOR_DATABASE"] = str(db)
    from navigator import create_app

    return create_app()


def session_cookie(db: Path) -> str:
    """A signed session cookie holding a person's answers, as the app would set it."""
    app = seeded_app(db)
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    flow = dict(PERSONA)
    flow["p"] = list(PERSONA["a"])  # type: ignore[arg-type]
    # A person who has seen their plan before: their first view was already counted.
    flow["c"] = ["retirement:plan"]
    # A returning visitor also already holds the CSRF secret the first page gave them.
    return str(serializer.dumps({"flow": flow, "csrf_token": "b" * 40}))


def wrk(url: str, cookie: str, seconds: int, connections: int) -> dict[str, float]:
    """Run wrk and read requests per second, p50 and p99 latency (ms) and errors."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Cookie: navigator={cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"), "errors": float(errors.group(1)) if errors else 0}


def worker_peak_memory(master: int) -> list[float]:
    """Peak resident memory (MiB) of each gunicorn worker, from /proc."""
    peaks = []
    for pid in Path("/proc").iterdir():
        if not pid.name.isdigit():
            continue
        try:
            status = (pid / "status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", status, re.M):
            peak = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
            if peak:
                peaks.append(int(peak.group(1)) / 1024)
    return peaks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="navigator-bench-"))
    db = work / "navigator.db"
    cookie = session_cookie(db)
    count = workers()
    try:
        with gunicorn(db, count) as (base, server):
            pages = {
                "hello world": "/__hello",
                "question page": "/questions/had_pension",
                "plan page": "/plan",
            }
            for path in pages.values():  # warm caches in both workers
                for _ in range(10):
                    request = urllib.request.Request(base + path, headers={"Cookie": f"navigator={cookie}"})
                    assert urllib.request.urlopen(request, timeout=5).status == 200, path
            results = {
                name: wrk(base + path, cookie, args.seconds, args.connections) for name, path in pages.items()
            }
            peaks = worker_peak_memory(server.pid)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    hello = results["hello world"]["rps"]
    print(f"gunicorn, {count} workers, wrk -c{args.connections} for {args.seconds}s each, loopback\n")
    print(f"{'page':<15}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}{'vs hello':>10}{'target':>8}")
    targets = {"question page": 0.60, "plan page": 0.40}
    for name, r in results.items():
        ratio = r["rps"] / hello
        target = f"{targets[name]:.0%}" if name in targets else ""
        print(
            f"{name:<15}{r['rps']:>10.0f}{r['p50']:>10.2f}{r['p99']:>10.2f}{r['errors']:>8.0f}"
            f"{ratio:>10.0%}{target:>8}"
        )
    print(f"\npeak memory per worker (VmHWM): {', '.join(f'{p:.0f} MiB' for p in peaks)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
