"""Check that every URL in the index still answers: HEAD first, then GET if HEAD is refused."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

from services_index.model import Agency, Service

USER_AGENT = "FederalFrontDoor-LinkCheck/1.0 (+https://www.usa.gov)"
MAX_REDIRECTS = 10
# Servers that refuse HEAD often answer GET properly.
RETRY_WITH_GET = {403, 404, 405, 501}


@dataclass
class LinkResult:
    """What one URL did when checked."""

    url: str
    ok: bool = False
    status: int = 0
    final_url: str = ""
    redirects: list[str] = field(default_factory=list)
    error: str = ""
    elapsed_ms: int = 0
    method: str = "HEAD"

    def row(self) -> dict[str, Any]:
        """As plain data for reports and the database."""
        return asdict(self)


class _Recorder(urllib.request.HTTPRedirectHandler):
    """Follows redirects, remembering each hop."""

    def __init__(self) -> None:
        self.hops: list[str] = []

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        if len(self.hops) >= MAX_REDIRECTS:
            raise urllib.error.HTTPError(newurl, code, "too many redirects", headers, fp)
        self.hops.append(f"{code} {newurl}")
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            # urllib turns a redirected HEAD into GET; keep the method we asked for.
            new.method = req.get_method()
        return new


def _attempt(url: str, method: str, timeout: float) -> LinkResult:
    recorder = _Recorder()
    opener = urllib.request.build_opener(recorder)
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    result = LinkResult(url, method=method)
    start = time.monotonic()
    try:
        with opener.open(request, timeout=timeout) as response:
            result.status = response.status
            result.final_url = response.geturl()
            if method == "GET":
                response.read(1024)
    except urllib.error.HTTPError as exc:
        result.status = exc.code
        result.final_url = exc.geturl() or url
        result.error = f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        result.error = (
            "timed out" if isinstance(reason, TimeoutError) or "timed out" in str(reason) else str(reason)
        )
    result.elapsed_ms = int((time.monotonic() - start) * 1000)
    result.redirects = recorder.hops
    result.ok = 200 <= result.status < 400 and not result.error
    return result


def check(url: str, timeout: float = 10.0) -> LinkResult:
    """Check one URL: HEAD, then GET when HEAD fails in a way GET might not."""
    result = _attempt(url, "HEAD", timeout)
    if not result.ok and (
        result.status in RETRY_WITH_GET or result.error and not result.status and result.error != "timed out"
    ):
        result = _attempt(url, "GET", timeout)
    return result


def check_all(urls: Iterable[str], timeout: float = 10.0, workers: int = 8) -> list[LinkResult]:
    """Check many URLs, a bounded number at a time, in the order given."""
    unique = list(dict.fromkeys(urls))
    with ThreadPoolExecutor(max_workers=max(1, min(workers, 32))) as pool:
        return list(pool.map(lambda u: check(u, timeout), unique))


def urls_of(services: Iterable[Service], agencies: Iterable[Agency]) -> list[str]:
    """Every URL the published index points people to."""
    found: list[str] = []
    for service in services:
        found += [
            service.source_url,
            service.url_es,
            service.status_url,
            service.apply.online,
            service.apply.in_person_url,
            *(f.url for f in service.forms),
        ]
    found += [a.website for a in agencies]
    return sorted({u for u in found if u})
