"""Load and validate the data files under ``life_experiences/data``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from life_experiences import rules
from life_experiences.errors import DataFileError, Problem
from life_experiences.model import (
    QUESTION_KINDS,
    Bank,
    LifeExperience,
    Option,
    Question,
    State,
    accepted_values,
)

DATA_DIR = Path(__file__).parent / "data"
QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]*$")
SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
QUESTION_KEYS = {
    "id",
    "kind",
    "text",
    "text_other",
    "hint",
    "hint_other",
    "why",
    "options",
    "allow_unsure",
    "ask_if",
    "min",
    "max",
    "prefix",
    "allow_future",
    "comment",
}
EXPERIENCE_KEYS = {"slug", "title", "summary", "intro", "minutes", "questions", "related", "keywords"}


def read_yaml(path: Path, problems: list[Problem]) -> Any:
    """Read one YAML file, recording a problem instead of raising when it cannot be parsed."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
        problems.append(Problem(str(path), "-", "-", f"cannot be read as YAML: {exc}"))
        return None


def _text(
    raw: dict[str, Any], key: str, where: tuple[str, str], problems: list[Problem], required: bool = True
) -> str:
    value = raw.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(Problem(where[0], where[1], key, "must be non-empty text"))
        return ""
    return value.strip()


def _load_questions(directory: Path, problems: list[Problem]) -> dict[str, tuple[Question, str]]:
    found: dict[str, tuple[Question, str]] = {}
    for path in sorted(directory.glob("*.yaml")):
        data = read_yaml(path, problems)
        if data is None:
            continue
        if not isinstance(data, list):
            problems.append(Problem(str(path), "-", "-", "must be a list of questions"))
            continue
        for index, raw in enumerate(data):
            entry = str(raw.get("id", f"#{index + 1}")) if isinstance(raw, dict) else f"#{index + 1}"
            where = (str(path), entry)
            if not isinstance(raw, dict):
                problems.append(Problem(*where, "-", "each question must be a mapping"))
                continue
            for key in sorted(set(raw) - QUESTION_KEYS):
                problems.append(Problem(*where, key, "is not a question field"))
            qid = raw.get("id")
            if not isinstance(qid, str) or not QUESTION_ID.match(qid):
                problems.append(Problem(*where, "id", "must be snake_case letters and digits"))
                continue
            if qid in found:
                problems.append(Problem(*where, "id", f"duplicate id, also in {found[qid][1]}"))
                continue
            kind = raw.get("kind")
            if kind not in QUESTION_KINDS:
                problems.append(Problem(*where, "kind", f"must be one of {', '.join(QUESTION_KINDS)}"))
                continue
            options: list[Option] = []
            raw_options = raw.get("options") or []
            if kind in ("single", "multi"):
                if not isinstance(raw_options, list) or len(raw_options) < 2:
                    problems.append(Problem(*where, "options", "needs at least two options"))
                    raw_options = []
                seen: set[str] = set()
                for i, opt in enumerate(raw_options):
                    if (
                        not isinstance(opt, dict)
                        or not isinstance(opt.get("value"), str)
                        or not isinstance(opt.get("label"), str)
                    ):
                        problems.append(Problem(*where, f"options[{i}]", "needs 'value' and 'label'"))
                        continue
                    if set(opt) - {"value", "label"}:
                        # Usually an unquoted comma inside { } split the label.
                        problems.append(
                            Problem(
                                *where,
                                f"options[{i}]",
                                f"unexpected keys {sorted(set(opt) - {'value', 'label'})}; "
                                "quote a label that has a comma",
                            )
                        )
                        continue
                    if opt["value"] in seen or opt["value"] == rules.UNSURE:
                        problems.append(
                            Problem(
                                *where, f"options[{i}]", f"value {opt['value']!r} is repeated or reserved"
                            )
                        )
                        continue
                    seen.add(opt["value"])
                    options.append(Option(opt["value"], opt["label"].strip()))
            elif raw_options:
                problems.append(Problem(*where, "options", f"a {kind} question has no options"))
            bounds: dict[str, int | None] = {}
            for key in ("min", "max"):
                value = raw.get(key)
                if value is not None and (kind != "number" or not isinstance(value, int)):
                    problems.append(Problem(*where, key, "only a number question has whole-number bounds"))
                    value = None
                bounds[key] = value
            question = Question(
                id=qid,
                kind=kind,
                text=_text(raw, "text", where, problems),
                text_other=_text(raw, "text_other", where, problems),
                hint=_text(raw, "hint", where, problems, required=False),
                hint_other=_text(raw, "hint_other", where, problems, required=False),
                why=_text(raw, "why", where, problems),
                options=tuple(options),
                allow_unsure=bool(raw.get("allow_unsure", False)),
                ask_if=raw.get("ask_if"),
                minimum=bounds["min"],
                maximum=bounds["max"],
                prefix=_text(raw, "prefix", where, problems, required=False),
                allow_future=bool(raw.get("allow_future", False)),
                comment=_text(raw, "comment", where, problems, required=False),
            )
            found[qid] = (question, str(path))
    return found


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if state.get(nxt) is None:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state.get(node) is None:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def _load_experiences(
    directory: Path, questions: dict[str, Question], problems: list[Problem]
) -> dict[str, LifeExperience]:
    found: dict[str, LifeExperience] = {}
    files: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        raw = read_yaml(path, problems)
        if raw is None:
            continue
        entry = str(raw.get("slug", path.stem)) if isinstance(raw, dict) else path.stem
        where = (str(path), entry)
        if not isinstance(raw, dict):
            problems.append(Problem(*where, "-", "must be a mapping"))
            continue
        for key in sorted(set(raw) - EXPERIENCE_KEYS):
            problems.append(Problem(*where, key, "is not a life-experience field"))
        slug = raw.get("slug")
        if not isinstance(slug, str) or not SLUG.match(slug):
            problems.append(Problem(*where, "slug", "must be kebab-case"))
            continue
        if slug in found:
            problems.append(Problem(*where, "slug", f"duplicate slug, also in {files[slug]}"))
            continue
        qids = raw.get("questions")
        if not isinstance(qids, list) or not qids:
            problems.append(Problem(*where, "questions", "needs a list of question ids"))
            qids = []
        for qid in qids:
            if qid not in questions:
                problems.append(Problem(*where, "questions", f"unknown question id {qid!r}"))
        if len(set(qids)) != len(qids):
            problems.append(Problem(*where, "questions", "lists a question twice"))
        minutes = raw.get("minutes")
        if not isinstance(minutes, int) or not 1 <= minutes <= 60:
            problems.append(Problem(*where, "minutes", "must be a whole number from 1 to 60"))
            minutes = 5
        keywords_raw = raw.get("keywords") or {}
        keywords: dict[str, tuple[str, ...]] = {}
        if not isinstance(keywords_raw, dict):
            problems.append(Problem(*where, "keywords", "must map a language to a list of words"))
        else:
            for lang, words in keywords_raw.items():
                if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                    problems.append(
                        Problem(
                            *where,
                            f"keywords.{lang}",
                            'must be a list of text (put numbers like "65" in quotes)',
                        )
                    )
                    continue
                keywords[str(lang)] = tuple(words)
        related = raw.get("related") or []
        found[slug] = LifeExperience(
            slug=slug,
            title=_text(raw, "title", where, problems),
            summary=_text(raw, "summary", where, problems),
            intro=_text(raw, "intro", where, problems),
            minutes=minutes,
            questions=tuple(q for q in qids if q in questions),
            related=tuple(related) if isinstance(related, list) else (),
            keywords=keywords,
        )
        files[slug] = str(path)
    for slug, exp in found.items():
        for other in exp.related:
            if other not in found:
                problems.append(Problem(files[slug], slug, "related", f"unknown life experience {other!r}"))
        listed = set(exp.questions)
        for qid in exp.questions:
            gate = questions[qid].ask_if
            if gate is None:
                continue
            for dep in rules.questions_in(gate) - listed:
                problems.append(
                    Problem(
                        files[slug],
                        slug,
                        "questions",
                        f"{qid!r} is asked only after {dep!r}, which is not listed",
                    )
                )
    return found


def load_bank(data_dir: Path = DATA_DIR) -> Bank:
    """Load questions, life experiences, states and poverty guidelines, or raise DataFileError."""
    problems: list[Problem] = []
    loaded = _load_questions(data_dir / "questions", problems)
    questions = {qid: q for qid, (q, _) in loaded.items()}
    states_raw = read_yaml(data_dir / "states.yaml", problems) or []
    states = tuple(
        State(s["code"], s["name"]) for s in states_raw if isinstance(s, dict) and "code" in s and "name" in s
    )
    if len(states) != len(states_raw):
        problems.append(Problem(str(data_dir / "states.yaml"), "-", "code/name", "every state needs both"))
    kinds = {qid: q.kind for qid, q in questions.items()}
    options = {qid: accepted_values(q, states) for qid, q in questions.items()}
    graph: dict[str, set[str]] = {}
    for qid, (question, path) in loaded.items():
        if question.ask_if is not None:
            for message in rules.validate(question.ask_if, kinds, options):
                problems.append(Problem(path, qid, "ask_if", message))
            graph[qid] = rules.questions_in(question.ask_if) if isinstance(question.ask_if, dict) else set()
    cycle = _find_cycle(graph)
    if cycle:
        problems.append(
            Problem(loaded[cycle[0]][1], cycle[0], "ask_if", "ask_if forms a cycle: " + " -> ".join(cycle))
        )
    experiences = _load_experiences(data_dir / "experiences", questions, problems)
    poverty_raw = read_yaml(data_dir / "poverty_guidelines.yaml", problems) or {}
    try:
        poverty = rules.PovertyGuidelines(
            int(poverty_raw["year"]), int(poverty_raw["base"]), int(poverty_raw["per_person"])
        )
    except (KeyError, TypeError, ValueError):
        problems.append(
            Problem(
                str(data_dir / "poverty_guidelines.yaml"), "-", "year/base/per_person", "needs whole numbers"
            )
        )
        poverty = rules.PovertyGuidelines(0, 0, 0)
    if problems:
        raise DataFileError(problems)
    return Bank(questions, experiences, poverty, states)
