"""What still relies on a service entry, so it is not archived from under it.

In this codebase services do not refer to one another; what relies on an entry is:
- the golden scenarios (``tests/scenarios``), which name the services a persona must get;
- each life experience the entry belongs to, which must keep at least one published service.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from life_experiences.model import Bank
from services_index.editing import StaffEntry

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "tests" / "scenarios"
EXPECTATIONS = ("likely", "more_info", "not_eligible")


def in_scenarios(service_id: str, scenario_dir: Path = SCENARIO_DIR) -> list[str]:
    """Each golden scenario persona that names the service, as a readable line."""
    found = []
    for path in sorted(scenario_dir.glob("*.yaml")):
        try:
            data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        personas = data.get("personas") if isinstance(data, dict) else None
        for persona in personas if isinstance(personas, list) else []:
            if not isinstance(persona, dict):
                continue
            for status in EXPECTATIONS:
                if service_id in (persona.get(status) or []):
                    found.append(
                        f"the golden scenario {path.name}, persona “{persona.get('name', '?')}”, "
                        f"expects it as {status.replace('_', ' ')}"
                    )
    return found


def last_in_life_experiences(entry: StaffEntry, entries: Iterable[StaffEntry], bank: Bank) -> list[str]:
    """Each life experience that would be left without a published service."""
    others = [e for e in entries if e.id != entry.id and e.state == "published"]
    found = []
    for slug in entry.life_experiences:
        if slug in bank.experiences and not any(slug in e.life_experiences for e in others):
            found.append(
                f"the life experience “{bank.experiences[slug].title}” would have no published services"
            )
    return found


def referrers(
    entry: StaffEntry, entries: Iterable[StaffEntry], bank: Bank, scenario_dir: Path = SCENARIO_DIR
) -> list[str]:
    """Everything that still relies on the entry (empty when it can be archived)."""
    return in_scenarios(entry.id, scenario_dir) + last_in_life_experiences(entry, entries, bank)
