"""The README documents every command and every setting, so none is added quietly."""

from __future__ import annotations

import re
from pathlib import Path

import click

from navigator.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "navigator") -> list[str]:
    """Every command line, such as ``navigator users create``."""
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix} {name}")
        else:
            found.append(f"{prefix} {name}")
    return found


def test_every_command_is_in_the_readme() -> None:
    listed = commands(main)
    assert "navigator users create" in listed and "navigator services import" in listed
    # A subcommand may be written without the program name ("users set-password EMAIL").
    missing = [
        c for c in listed if c not in README and not (c.count(" ") == 2 and c.split(" ", 1)[1] in README)
    ]
    assert missing == []


def test_every_setting_is_in_the_readme() -> None:
    source = (ROOT / "navigator" / "config.py").read_text(encoding="utf-8")
    settings = set(re.findall(r'"(NAVIGATOR_[A-Z_]+)"', source))
    assert "NAVIGATOR_STAFF_IDLE_MINUTES" in settings
    assert sorted(s for s in settings if s not in README) == []
