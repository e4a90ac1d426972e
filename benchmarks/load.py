"""Many people at once, each through a whole life experience, against hello world, under gunicorn.

Run by hand: `python benchmarks/load.py [--people 200] [--seconds 60]`. Prints figures, asserts
nothing. Loopback only, bounded in people and time; gunicorn workers from WEB_CONCURRENCY.
Each person has their own cookie jar and goes as a browser without JavaScript would: the start
page, "Start now", every question (the form read from the page, a valid answer posted, the
redirect followed), the review page and the plan; then someone new takes their place. The same
number of people then ask for a hello-world route of the same app for the same time.
Targets: no errors; p99 at most 250 ms; flow pages at least 60% of hello-world requests per second.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import NoReturn
from urllib.parse import urljoin, urlsplit

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pages import gunicorn, seeded_app, workers  # noqa: E402

MAX_QUESTIONS = 60
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)
TAG = re.compile(r"<(input|select|option)\b[^>]*>", re.S)
TAG_NAME = re.compile(r"^<\w+")
ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')


@dataclass
class Tally:
    """What one phase measured: latency of every request by page, and what went wrong."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    # (page, reason) -> how many times
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)
    flows: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    cpu: float = 0.0

    def all(self) -> list[float]:
        """Every request's latency in seconds, sorted."""
        return sorted(t for times in self.latencies.values() for t in times)


class FlowError(Exception):
    """A page that was not what a person going through the flow would get."""


class Counted(FlowError):
    """A request that failed and has been counted as an error already."""


class TimeUp(Exception):
    """The phase is over: no new request is started."""


def attributes(tag: str) -> dict[str, str]:
    """The attributes of one HTML start tag, unescaped."""
    inner = TAG_NAME.sub("", tag[:-1])
    return {name: html.unescape(value or "") for name, value in ATTRIBUTE.findall(inner)}


def csrf_token(form: str) -> str:
    """The CSRF token in a form's hidden field."""
    for tag in TAG.finditer(form):
        attrs = attributes(tag.group(0))
        if attrs.get("name") == "csrf_token":
            return attrs["value"]
    raise FlowError("no CSRF token in the form")


def find_form(page: str, css_class: str) -> tuple[str, str]:
    """The form with ``css_class``: its action and its whole markup."""
    for form in FORM.finditer(page):
        opening = attributes(form.group(0)[: form.group(0).index(">") + 1])
        if css_class in opening.get("class", "").split():
            return opening["action"], form.group(0)
    raise FlowError(f"no {css_class} on the page")


def answer(qid: str, form: str, rng: random.Random) -> dict[str, str | list[str]]:
    """A valid answer to the question in ``form``, as a person might give it, with the CSRF token."""
    fields: dict[str, str | list[str]] = {"csrf_token": csrf_token(form)}
    radios: list[str] = []
    boxes: list[str] = []
    options: list[str] = []
    in_answer_select = False
    for kind, tag in ((m.group(1), m.group(0)) for m in TAG.finditer(form)):
        attrs = attributes(tag)
        if kind == "select":
            in_answer_select = attrs.get("name") == "answer"
        elif kind == "option" and in_answer_select and attrs.get("value"):
            options.append(attrs["value"])
        elif attrs.get("name") == "answer" and attrs.get("type") == "radio":
            radios.append(attrs["value"])
        elif attrs.get("name") == "answer" and attrs.get("type") == "checkbox":
            boxes.append(attrs["value"])
    if 'name="month"' in form:
        when = date(1950 + rng.randrange(50), 3, 10) if qid == "date_of_birth" else date.today()
        when -= timedelta(days=rng.randrange(1, 200) if qid != "date_of_birth" else 0)
        fields.update(month=str(when.month), day=str(when.day), year=str(when.year))
    elif options:
        fields["answer"] = rng.choice(options)
    elif radios:
        fields["answer"] = rng.choice(radios)
    elif boxes:
        real = [b for b in boxes if b != "unsure"] or boxes
        fields["answer"] = rng.sample(real, min(len(real), rng.randint(1, 2)))
    elif 'name="answer"' in form:
        money = "usa-input-prefix" in form
        fields["answer"] = str(rng.randrange(0, 60000, 500) if money else rng.randint(1, 5))
    else:
        raise FlowError(f"no answer field for {qid}")
    return fields


def encode(fields: dict[str, str | list[str]]) -> list[tuple[str, str]]:
    """Form fields as pairs, repeating a name for each value of a multiple choice."""
    return [(k, v) for k, vs in fields.items() for v in ([vs] if isinstance(vs, str) else vs)]


class Person:
    """One person with their own cookie jar, timing each request they make."""

    def __init__(self, base: str, connector: aiohttp.BaseConnector, tally: Tally, deadline: float) -> None:
        self.base = base
        self.connector = connector
        self.tally = tally
        self.deadline = deadline
        self.session: aiohttp.ClientSession | None = None

    def fresh(self) -> None:
        """Someone new sits down: a new, empty cookie jar."""
        self.session = aiohttp.ClientSession(
            connector=self.connector,
            connector_owner=False,
            # The server is 127.0.0.1: a plain cookie jar ignores cookies for IP addresses.
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=30),
        )

    async def close(self) -> None:
        """Close this person's session (the shared connections stay open)."""
        if self.session is not None:
            await self.session.close()

    async def request(
        self, page: str, method: str, url: str, expect: int, data: object = None
    ) -> tuple[str, str]:
        """One request, timed under ``page``; returns the body and the redirect (or same) URL."""
        if time.monotonic() >= self.deadline:
            raise TimeUp
        assert self.session is not None
        started = time.perf_counter()
        try:
            async with self.session.request(method, url, data=data, allow_redirects=False) as response:
                body = await response.text()
                status = response.status
                location = response.headers.get("Location", "")
        except (TimeoutError, aiohttp.ClientError) as exc:
            self.fail(page, type(exc).__name__)
        self.tally.latencies[page].append(time.perf_counter() - started)
        if status != expect:
            self.fail(page, f"status {status}")
        return body, urljoin(url, location) if location else url

    def fail(self, page: str, reason: str) -> NoReturn:
        """Count an error on ``page`` and give up this person's flow."""
        self.tally.errors[(page, reason)] += 1
        raise Counted(reason)

    async def flow(self, slug: str, rng: random.Random) -> None:
        """From the start page to the plan of one life experience."""
        url = f"{self.base}/life-experiences/{slug}"
        body, _ = await self.request("start page", "GET", url, 200)
        action, form = find_form(body, "start-form")
        fields = {"csrf_token": csrf_token(form), "for": "self"}
        _, url = await self.request("start (POST)", "POST", urljoin(url, action), 303, data=fields)
        for _ in range(MAX_QUESTIONS):
            path = urlsplit(url).path
            if path == "/review":
                break
            if not path.startswith("/questions/"):
                raise FlowError(f"unexpected page {path}")
            body, _ = await self.request("question", "GET", url, 200)
            action, form = find_form(body, "question-form")
            fields = answer(path.split("/")[-1], form, rng)
            _, url = await self.request(
                "answer (POST)", "POST", urljoin(url, action), 303, data=encode(fields)
            )
        else:
            raise FlowError(f"{slug}: more than {MAX_QUESTIONS} questions")
        await self.request("review", "GET", url, 200)
        await self.request("plan", "GET", urljoin(url, "/plan"), 200)

    async def life_experiences(self, slugs: list[str], rng: random.Random) -> None:
        """Complete flows, one after another, until the time is up."""
        while time.monotonic() < self.deadline:
            slug = rng.choice(slugs)
            self.fresh()
            try:
                await self.flow(slug, rng)
                self.tally.flows[slug] += 1
            except (TimeUp, Counted):
                pass
            except FlowError as exc:
                self.tally.errors[(slug, str(exc))] += 1
            finally:
                await self.close()

    async def hello(self) -> None:
        """The baseline: the hello-world route, again and again, until the time is up."""
        self.fresh()
        try:
            while time.monotonic() < self.deadline:
                try:
                    await self.request("hello world", "GET", self.base + "/__hello", 200)
                except TimeUp:
                    break
                except Counted:
                    pass
        finally:
            await self.close()


async def phase(
    base: str, people: int, seconds: float, work: Callable[[Person, random.Random], Awaitable[None]]
) -> Tally:
    """``people`` at once doing ``work`` for ``seconds``."""
    tally = Tally()
    connector = aiohttp.TCPConnector(limit=people + 10)
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    crowd = [Person(base, connector, tally, started + seconds) for _ in range(people)]
    await asyncio.gather(*(work(person, random.Random(n)) for n, person in enumerate(crowd)))
    tally.elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    tally.cpu = (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)
    await connector.close()
    return tally


def percentile(sorted_values: list[float], p: float) -> float:
    """The nearest-rank percentile of sorted values, in milliseconds."""
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank] * 1000


def header(first: str) -> str:
    """The heading row of a table of figures."""
    return f"{first:<17}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"


def row(name: str, times: list[float], elapsed: float, errors: int) -> str:
    """One row of figures: requests, requests per second, latency percentiles, errors."""
    return (
        f"{name:<17}{len(times):>9}{len(times) / elapsed:>9.1f}{percentile(times, 50):>9.1f}"
        f"{percentile(times, 95):>9.1f}{percentile(times, 99):>9.1f}{errors:>8}"
    )


def report(people: int, seconds: int, count: int, flows: Tally, hello: Tally) -> None:
    """Print both phases, the ratio and the targets, then the flow phase page by page."""
    print(
        f"gunicorn, {count} workers, {people} people at once for {seconds} s per phase, "
        "loopback; the client shares the machine's cores\n"
    )
    print(header("phase"))
    for name, tally in (("life experiences", flows), ("hello world", hello)):
        print(row(name, tally.all(), tally.elapsed, sum(tally.errors.values())))
    ratio = (len(flows.all()) / flows.elapsed) / (len(hello.all()) / hello.elapsed)
    errors = flows.errors + hello.errors
    print(f"\nflow/hello throughput: {ratio:.0%} (target >= 60%)")
    print(f"flow p99: {percentile(flows.all(), 99):.1f} ms (target <= 250 ms at 200 people)")
    print(f"errors: {sum(errors.values())} (target 0)")
    for (where, reason), times in errors.most_common(10):
        print(f"  {times} x {where}: {reason}")
    done = ", ".join(f"{slug} {n}" for slug, n in sorted(flows.flows.items()))
    print(f"\nwhole flows completed: {sum(flows.flows.values())} ({done})")
    print(f"client CPU: {flows.cpu:.1f} s in the flow phase, {hello.cpu:.1f} s in the hello phase\n")
    print(header("flow page"))
    for page, times in flows.latencies.items():
        failed = sum(n for (where, _), n in flows.errors.items() if where == page)
        print(row(page, sorted(times), flows.elapsed, failed))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=200, help="people at the same time (default 200)")
    parser.add_argument("--seconds", type=int, default=60, help="length of each phase (default 60)")
    args = parser.parse_args()
    if not 1 <= args.people <= 1000 or not 1 <= args.seconds <= 600:
        parser.error("--people must be 1 to 1000 and --seconds 1 to 600")
    work = Path(tempfile.mkdtemp(prefix="navigator-load-"))
    count = workers()
    try:
        slugs = sorted(seeded_app(work / "navigator.db").extensions["navigator.bank"].experiences)
        with gunicorn(work / "navigator.db", count) as (base, _server):
            # Warm each worker's caches with a few whole flows, unmeasured.
            asyncio.run(phase(base, 2 * count, 5, lambda p, rng: p.life_experiences(slugs, rng)))
            flows = asyncio.run(
                phase(base, args.people, args.seconds, lambda p, rng: p.life_experiences(slugs, rng))
            )
            hello = asyncio.run(phase(base, args.people, args.seconds, lambda p, _rng: p.hello()))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(args.people, args.seconds, count, flows, hello)
    return 0


if __name__ == "__main__":
    sys.exit(main())
