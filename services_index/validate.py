"""Check every data file and print a short summary: ``python -m services_index.validate``."""

from __future__ import annotations

import sys
from collections import Counter

from life_experiences.errors import DataFileError
from life_experiences.loader import load_bank
from life_experiences.scenarios import check_file
from services_index.content import load_content
from services_index.references import SCENARIO_DIR


def main() -> int:
    """Validate data files; exit 1 and list every problem when any is wrong."""
    try:
        bank = load_bank()
        content = load_content(bank)
    except DataFileError as exc:
        print(exc, file=sys.stderr)
        return 1
    per_experience = Counter(slug for s in content.services.values() for slug in s.life_experiences)
    print(
        f"{len(bank.questions)} questions, {len(bank.experiences)} life experiences, "
        f"{len(content.agencies)} agencies, {len(content.documents)} documents, "
        f"{len(content.services)} services"
    )
    for slug in bank.experiences:
        print(
            f"  {slug}: {per_experience.get(slug, 0)} services, "
            f"{len(bank.experiences[slug].questions)} questions"
        )
    files = sorted(SCENARIO_DIR.glob("*.yaml"))
    problems = [p for f in files for p in check_file(bank, list(content.services.values()), f)]
    for line in problems:
        print(line, file=sys.stderr)
    print(f"scenarios: {len(files)} file(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
