"""The console command and `flask --app navigator` both work against a real file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from navigator.cli import main


def test_init_db_then_seed_twice_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    env = {"NAVIGATOR_DATABASE": str(db), "NAVIGATOR_SECRET_KEY": "cli-test"}
    runner = CliRunner()
    result = runner.invoke(main, ["init-db"], env=env)
    assert result.exit_code == 0 and db.exists()
    first = runner.invoke(main, ["seed"], env=env)
    assert first.exit_code == 0 and "services added:" in first.output
    second = runner.invoke(main, ["seed"], env=env)
    assert "services added: 0, updated: 0" in second.output


def test_validate_command_passes_on_the_real_data() -> None:
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert re.search(r"scenarios: \d+ file\(s\), 0 problem\(s\)", result.output)


def test_flask_cli_finds_the_app_factory(tmp_path: Path) -> None:
    env = {**os.environ, "NAVIGATOR_DATABASE": str(tmp_path / "f.db"), "NAVIGATOR_SECRET_KEY": "x"}
    out = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "navigator", "routes"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert "/questions/<qid>" in out and "/api/v1/life-experiences" in out
