"""Search latency: p50 and p95 of search() at the real index size, 10k and 100k entries.

Run by hand: `python benchmarks/search_speed.py`. Prints figures; asserts nothing.
Synthetic entries are programs made by this script from the real ones (shuffled words),
so the index grows the way it would with more imported programs.
Targets: p95 at most 5 ms at the real size and 30 ms at 100k.
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from navigator import create_app  # noqa: E402
from services_index.programs import Program, read  # noqa: E402
from services_index.search import Searcher  # noqa: E402

REFERENCE = (
    ROOT.parent / "shared" / "reference" / "federal-program-inventory" / "assistance_listings_fpi.json"
)


def synthetic(real: list[Program], count: int, seed: int = 7) -> list[Program]:
    """``count`` programs built from the words of real ones, with unique listing numbers."""
    rng = random.Random(seed)
    words = [w for p in real for w in (p.title + " " + p.objective[:300]).split()]
    made = []
    for n in range(count):
        base = real[n % len(real)]
        title = " ".join(rng.sample(words, 6))
        objective = " ".join(rng.sample(words, 40))
        made.append(
            replace(
                base,
                listing=f"Z{n // 1000 % 10}.{n % 1000:03d}" if n < 10000 else f"{n}",
                title=title,
                objective=objective,
            )
        )
    return made


def measure(searcher: Searcher, queries: list[str], rounds: int) -> tuple[float, float]:
    for q in queries[:20]:
        searcher.search(q)
    times = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            searcher.search(q)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.95)]


def main() -> int:
    queries = [
        str(q["q"])
        for q in yaml.safe_load(Path(__file__).with_name("search_queries.yaml").read_text())["queries"]
    ]
    real = read(REFERENCE)[0] if REFERENCE.exists() else []
    rows = []
    for label, extra in (("real index", 0), ("10k entries", 10_000), ("100k entries", 100_000)):
        work = Path(tempfile.mkdtemp(prefix="navigator-speed-"))
        app = create_app({"DATABASE": str(work / "speed.db"), "SECRET_KEY": "benchmark"})
        store = app.extensions["navigator.store"]
        programs = list(real)
        if extra:
            # The real programs plus synthetic ones, up to the total size.
            programs += synthetic(real, max(extra - len(real) - 300, 0))
        store.import_programs(programs)
        size = store.connect().execute("SELECT count(*) FROM search_docs").fetchone()[0]
        p50, p95 = measure(Searcher(store), queries, rounds=2 if extra else 5)
        rows.append((label, size, p50, p95))
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"search() over {len(queries)} labelled queries, one process, warm cache\n")
    print(f"{'index':<14}{'documents':>10}{'p50 ms':>9}{'p95 ms':>9}{'p95 vs real':>13}")
    for label, size, p50, p95 in rows:
        print(f"{label:<14}{size:>10}{p50:>9.2f}{p95:>9.2f}{p95 / rows[0][3]:>12.1f}x")
    print(f"\npeak memory of this process: {peak:.0f} MiB")
    print("targets: p95 <= 5 ms at the real size, <= 30 ms at 100k")
    return 0


if __name__ == "__main__":
    sys.exit(main())
