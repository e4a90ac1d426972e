"""Search: "tell us what's happening" matched to life experiences and services.

Candidates come from SQLite FTS5 (a Porter-stemmed English index, an accent-folded Spanish
index, and a trigram index that catches typos), widened with curated synonyms; then rapidfuzz
re-ranks them. Raw input never reaches FTS syntax: every term is quoted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils

from life_experiences.errors import DataFileError, Problem
from life_experiences.loader import read_yaml

MAX_QUERY = 200
MAX_CANDIDATES = 80
# How much each signal counts when results are ranked (tuned on benchmarks/search_queries.yaml).
WEIGHTS = {
    "text": 0.5,
    "keyword": 0.25,
    "closeness": 0.25,
    "life_experience": 4.0,
    "imported": -6.0,
    "exact_name": 12.0,
}
WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOPWORDS = {
    "en": {
        "a",
        "an",
        "and",
        "the",
        "i",
        "im",
        "my",
        "me",
        "we",
        "our",
        "to",
        "of",
        "for",
        "in",
        "on",
        "is",
        "it",
        "at",
        "be",
        "was",
        "are",
        "can",
        "cant",
        "do",
        "how",
        "what",
        "with",
        "need",
        "want",
        "get",
        "help",
        "just",
        "from",
        "this",
        "that",
        "or",
        "you",
        "your",
        "am",
        "has",
        "have",
        "had",
        "will",
        "about",
        "after",
        "last",
        "week",
        "year",
        "so",
        "not",
        "dont",
        "did",
        "apply",
        "find",
    },
    "es": {
        "el",
        "la",
        "los",
        "las",
        "un",
        "una",
        "y",
        "o",
        "de",
        "del",
        "en",
        "mi",
        "mis",
        "me",
        "yo",
        "que",
        "para",
        "por",
        "con",
        "se",
        "su",
        "sus",
        "es",
        "al",
        "lo",
        "como",
        "necesito",
        "quiero",
        "ayuda",
        "tengo",
        "no",
        "ya",
        "hace",
    },
}
SYNONYMS_FILE = Path(__file__).parent / "seed" / "synonyms.yaml"


def fold(text: str) -> str:
    """Lower case without accents: "Jubilación" and "jubilacion" become the same."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def for_matching(text: str) -> str:
    """Text as matching compares it: folded, punctuation gone, spaces trimmed."""
    return str(utils.default_process(fold(text)))


def clean_query(raw: str) -> str:
    """The query as text we can work with: normalized, control characters gone, capped."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(text.split())[:MAX_QUERY]


def terms(text: str, language: str) -> list[str]:
    """Folded words of a query, without the small words every entry shares."""
    stop = STOPWORDS.get(language, set()) | STOPWORDS["en"]
    return [w for w in WORD.findall(fold(text)) if w not in stop and len(w) > 1]


def load_synonyms(path: Path = SYNONYMS_FILE) -> dict[str, dict[str, tuple[str, ...]]]:
    """Curated synonyms per language, keys folded."""
    problems: list[Problem] = []
    data = read_yaml(path, problems) or {}
    if problems:
        raise DataFileError(problems)
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    for language, table in data.items():
        if not isinstance(table, dict):
            raise DataFileError(
                [Problem(str(path), str(language), "-", "must map phrases to lists of words")]
            )
        found[str(language)] = {fold(str(k)): tuple(fold(str(v)) for v in vals) for k, vals in table.items()}
    return found


def expand(text: str, synonyms: dict[str, dict[str, tuple[str, ...]]]) -> tuple[list[str], list[str]]:
    """Extra search words from synonyms in any language, and the phrases that triggered them."""
    folded = " " + " ".join(WORD.findall(fold(text))) + " "
    extra: list[str] = []
    used: list[str] = []
    for table in synonyms.values():
        for phrase, words in table.items():
            if f" {phrase} " in folded:
                extra += words
                used.append(phrase)
    return list(dict.fromkeys(extra)), used


def fts_any(words: list[str], prefix: bool = False) -> str:
    """An FTS5 query matching any of the words, each quoted so input is never syntax."""
    star = "*" if prefix else ""
    return " OR ".join(f'"{w}"{star}' for w in dict.fromkeys(words) if w)


def trigrams(words: list[str]) -> list[str]:
    """The three-letter pieces of words, for finding known words spelled alike."""
    grams: list[str] = []
    for word in words:
        if len(word) >= 3:
            grams += [word[i : i + 3] for i in range(len(word) - 2)]
    return list(dict.fromkeys(grams))


@dataclass
class Hit:
    """One search result with why it came up."""

    ref: str
    type: str
    id: str
    name: str
    agency: str
    curated: bool
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The API's shape for a result."""
        return {
            "type": self.type,
            "id": self.id,
            "name": self.name,
            "agency": self.agency,
            "score": round(self.score, 2),
            "curated": self.curated,
            "why": self.reasons,
        }


def rerank(query: str, candidates: list[dict[str, Any]]) -> list[Hit]:
    """Score candidates with rapidfuzz against name and keywords, plus how the index matched them."""
    processed = for_matching(query)
    best_text = max((row["fts"] for row in candidates), default=0.0) or 1.0
    hits: list[Hit] = []
    for row in candidates:
        name_score = fuzz.token_set_ratio(processed, row["match_name"])
        # How close the whole name is to the query ("medicare" beats "medicare after death").
        closeness = fuzz.ratio(processed, row["match_name"])
        keywords = [k for k in row["match_keywords"].split("|") if k]
        best_keyword, keyword_score = "", 0.0
        if keywords:
            found = process.extractOne(processed, keywords, scorer=fuzz.ratio)
            best_keyword, keyword_score = found[0], found[1]
            longer = [k for k in keywords if len(k) >= 4]
            inside = process.extractOne(processed, longer, scorer=fuzz.partial_ratio) if longer else None
            if inside and inside[1] * 0.9 > keyword_score:
                best_keyword, keyword_score = inside[0], inside[1] * 0.9
        # bm25 relative to the best candidate keeps the index's own ordering.
        text_score = 100.0 * row["fts"] / best_text
        score = (
            WEIGHTS["text"] * text_score
            + WEIGHTS["keyword"] * max(keyword_score, name_score)
            + WEIGHTS["closeness"] * max(closeness, keyword_score)
        )
        if closeness >= 95:
            # The person typed the entry's own name.
            score += WEIGHTS["exact_name"]
        if row["type"] == "life_experience":
            score += WEIGHTS["life_experience"]
        if not row["curated"]:
            # Imported programs come after curated entries unless they match clearly better.
            score += WEIGHTS["imported"]
        reasons = []
        if keyword_score >= 80 and best_keyword:
            reasons.append(f"matches “{best_keyword}”")
        elif name_score >= 80:
            reasons.append("matches the name")
        if row.get("typo"):
            reasons.append("similar spelling")
        if row.get("synonym"):
            reasons.append(f"you said “{row['synonym']}”")
        if not reasons:
            reasons.append("words in its description")
        hits.append(
            Hit(
                row["ref"],
                row["type"],
                row["ref"].split(":", 1)[1],
                row["name"],
                row["agency"],
                bool(row["curated"]),
                score,
                reasons,
            )
        )
    hits.sort(key=lambda h: (-h.score, h.name))
    return hits


class Searcher:
    """Runs searches against a store: FTS5 candidates, synonyms, then rapidfuzz re-ranking."""

    def __init__(self, store: Any, synonyms: dict[str, dict[str, tuple[str, ...]]] | None = None):
        self.store = store
        self.synonyms = synonyms if synonyms is not None else load_synonyms()

    def search(
        self,
        raw: str,
        language: str = "en",
        limit: int = 10,
        types: set[str] | None = None,
        public_only: bool = True,
    ) -> list[Hit]:
        """Ranked results for what a person typed; empty when there is nothing to search for."""
        query = clean_query(raw)
        words = terms(query, language)
        extra, used = expand(query, self.synonyms)
        if not words and not extra:
            return []
        everything = words + [w for w in extra if w not in words]
        # A word the index has never seen is probably misspelled: look for it by its letters.
        known = self.store.known_words(words)
        # A word the index has never seen is probably misspelled: find the known words it is closest to.
        corrections: list[str] = []
        for word in (w for w in words if w not in known and len(w) >= 3):
            similar = self.store.similar_words(fts_any(trigrams([word])) or fts_any([word]))
            corrections += [
                w for w, _, _ in process.extract(word, similar, scorer=fuzz.ratio, score_cutoff=75, limit=2)
            ]
        stems = [w[:5] for w in everything if len(w) >= 6]
        candidates = self.store.search_candidates(
            english=fts_any(everything),
            spanish=" OR ".join(filter(None, [fts_any(everything), fts_any(stems, prefix=True)])),
            corrected=fts_any(corrections + [w for w in everything if w in known]) if corrections else "",
            public_only=public_only,
            types=types,
            limit=MAX_CANDIDATES,
        )
        for row in candidates:
            exact = row.get("en", 0.0) + row.get("es", 0.0)
            row["fts"] = max(exact, 0.9 * row.get("typo", 0.0))
            row["typo"] = row.get("typo", 0.0) > exact
            row["synonym"] = used[0] if used and exact else ""
        return rerank(query, candidates)[:limit]
