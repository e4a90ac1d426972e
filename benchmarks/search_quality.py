"""Search quality on a labelled set: recall@1, recall@3 and MRR per group, against two baselines.

Run by hand: `python benchmarks/search_quality.py`. Prints figures; asserts nothing.
Baselines, run in the same process on the same index: FTS5 bm25 alone (the English index,
any word), and rapidfuzz alone (a full scan of names and keywords). Targets: recall@3 >= 0.9
overall, >= 0.85 for Spanish and misspelled queries, and better than both baselines.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from navigator import create_app  # noqa: E402
from services_index.search import Searcher, clean_query, for_matching, fts_any, terms  # noqa: E402

QUERIES = Path(__file__).with_name("search_queries.yaml")
Ranker = Callable[[str], list[str]]


def evaluate(rank: Ranker, queries: list[dict[str, object]]) -> dict[str, dict[str, float]]:
    """recall@1, recall@3 and MRR (over the top 10) per group and overall."""
    sums: dict[str, dict[str, float]] = defaultdict(lambda: {"n": 0, "r1": 0, "r3": 0, "mrr": 0})
    for item in queries:
        expected = set(item["expect"])  # type: ignore[arg-type]
        found = rank(str(item["q"]))[:10]
        position = next((i for i, ref in enumerate(found, start=1) if ref in expected), None)
        for group in (str(item["group"]), "overall"):
            row = sums[group]
            row["n"] += 1
            row["r1"] += position == 1
            row["r3"] += position is not None and position <= 3
            row["mrr"] += 1 / position if position else 0
    return {g: {k: (v / r["n"] if k != "n" else v) for k, v in r.items()} for g, r in sums.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--show-misses", action="store_true", help="List the queries the navigator misses at 3."
    )
    args = parser.parse_args()
    queries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["queries"]
    work = Path(tempfile.mkdtemp(prefix="navigator-search-"))
    app = create_app({"DATABASE": str(work / "search.db"), "SECRET_KEY": "benchmark"})
    store = app.extensions["navigator.store"]
    reference = (
        ROOT.parent / "shared" / "reference" / "federal-program-inventory" / "assistance_listings_fpi.json"
    )
    if reference.exists():
        from services_index.programs import read

        store.import_programs(read(reference)[0])
    searcher = Searcher(store)
    db = store.connect()
    docs = db.execute("SELECT ref, match_name, match_keywords, public FROM search_docs").fetchall()

    def navigator(query: str) -> list[str]:
        return [h.ref for h in searcher.search(query, limit=10)]

    def bm25_only(query: str) -> list[str]:
        words = terms(clean_query(query), "en")
        if not words:
            return []
        rows = db.execute(
            "SELECT d.ref FROM search_en JOIN search_docs d ON d.rowid = search_en.rowid "
            "WHERE search_en MATCH ? AND d.public = 1 ORDER BY bm25(search_en) LIMIT 10",
            [fts_any(words)],
        ).fetchall()
        return [r[0] for r in rows]

    choices = {ref: f"{name} {keywords.replace('|', ' ')}" for ref, name, keywords, public in docs if public}

    def rapidfuzz_only(query: str) -> list[str]:
        found = process.extract(for_matching(query), choices, scorer=fuzz.WRatio, limit=10)
        return [key for _, _, key in found]

    results = {
        "navigator": evaluate(navigator, queries),
        "fts5 bm25 only": evaluate(bm25_only, queries),
        "rapidfuzz only": evaluate(rapidfuzz_only, queries),
    }
    groups = ["overall", "plain", "situation", "misspelled", "spanish"]
    print(f"{len(queries)} labelled queries, index of {len(docs)} documents\n")
    print(f"{'group':<12}{'n':>5}  " + "  ".join(f"{name:>28}" for name in results))
    print(f"{'':<12}{'':>5}  " + "  ".join(f"{'R@1   R@3   MRR':>28}" for _ in results))
    for group in groups:
        cells = []
        for result in results.values():
            row = result[group]
            cells.append(f"{row['r1']:.2f}  {row['r3']:.2f}  {row['mrr']:.2f}".rjust(28))
        print(f"{group:<12}{int(results['navigator'][group]['n']):>5}  " + "  ".join(cells))
    print("\ntargets: R@3 >= 0.90 overall, >= 0.85 Spanish and misspelled, above both baselines")
    if args.show_misses:
        for item in queries:
            found = navigator(str(item["q"]))[:3]
            if not set(item["expect"]) & set(found):
                print(f"  MISS [{item['group']}] {item['q']!r}: got {found}, want {item['expect']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
