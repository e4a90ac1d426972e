"""``navigator users``: create, list, set a password, disable; passwords from standard input or a prompt."""

from __future__ import annotations

from pathlib import Path

import click.testing
import pytest
from click.testing import CliRunner, Result

from navigator import auth, create_app
from navigator.cli import main

PASSWORD = "a long enough passphrase"


def env_for(db: Path) -> dict[str, str]:
    return {"NAVIGATOR_DATABASE": str(db), "NAVIGATOR_SECRET_KEY": "users-cli"}


def run(db: Path, *args: str, stdin: str = PASSWORD + "\n") -> Result:
    return CliRunner().invoke(main, ["users", *args], env=env_for(db), input=stdin)


def account(db: Path, email: str) -> tuple[auth.User, str] | None:
    app = create_app({"DATABASE": str(db), "SECRET_KEY": "users-cli", "AUTO_SEED": False})
    found: tuple[auth.User, str] | None = app.extensions["navigator.store"].accounts.user_by_email(email)
    app.extensions["navigator.store"].close()
    return found


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "users.db"
    assert CliRunner().invoke(main, ["seed"], env=env_for(path)).exit_code == 0
    return path


def test_the_first_admin_is_created_with_a_password_from_standard_input(db: Path) -> None:
    result = run(db, "create", "Admin@Agency.gov", "--role", "admin")
    assert result.exit_code == 0, result.output
    assert "created admin admin@agency.gov" in result.output
    found = account(db, "admin@agency.gov")
    assert found is not None and found[1].startswith("$argon2id$")
    assert auth.hasher.verify(found[1], PASSWORD)


def test_editors_get_agencies_by_acronym_and_reviewers_get_languages(db: Path) -> None:
    editor = run(db, "create", "ed@ssa.gov", "--role", "editor", "--agency", "SSA,VA")
    assert editor.exit_code == 0 and "(ssa, va)" in editor.output
    reviewer = run(db, "create", "rev@agency.gov", "--role", "reviewer", "--locale", "es,fr")
    assert reviewer.exit_code == 0 and "(es, fr)" in reviewer.output
    listed = run(db, "list")
    assert "ed@ssa.gov\teditor\tssa,va\tactive" in listed.output
    assert "rev@agency.gov\treviewer\tes,fr\tactive" in listed.output


@pytest.mark.parametrize(
    ("args", "stdin", "says"),
    [
        (("x@ssa.gov", "--role", "editor", "--agency", "NASA-MOON"), PASSWORD, "Unknown agency: NASA-MOON"),
        (("x@ssa.gov", "--role", "editor"), PASSWORD, "An editor needs at least one agency"),
        (("x@agency.gov", "--role", "reviewer", "--locale", "xx"), PASSWORD, "Unknown language code: xx"),
        (("not-an-email", "--role", "admin"), PASSWORD, "Enter an email address"),
        (("x@agency.gov", "--role", "admin"), "short", "at least 12 characters"),
    ],
)
def test_wrong_account_details_are_refused_clearly(
    db: Path, args: tuple[str, ...], stdin: str, says: str
) -> None:
    result = run(db, "create", *args, stdin=stdin + "\n")
    assert result.exit_code == 1 and says in result.output and "nothing was written" in result.output


def test_an_email_can_have_only_one_account(db: Path) -> None:
    assert run(db, "create", "a@agency.gov", "--role", "admin").exit_code == 0
    again = run(db, "create", "A@agency.gov", "--role", "admin")
    assert again.exit_code == 1 and "already an account for a@agency.gov" in again.output


def test_at_a_terminal_the_password_is_asked_for_twice(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(click.testing._NamedTextIOWrapper, "isatty", lambda self: True, raising=False)
    typo = run(db, "create", "t@agency.gov", "--role", "admin", stdin=f"{PASSWORD}\nsomething else\n")
    assert typo.exit_code != 0 and "do not match" in typo.output
    assert account(db, "t@agency.gov") is None
    ok = run(db, "create", "t@agency.gov", "--role", "admin", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert ok.exit_code == 0 and PASSWORD not in ok.output


def test_set_password_and_disable(db: Path) -> None:
    run(db, "create", "ed@ssa.gov", "--role", "editor", "--agency", "ssa")
    changed = run(db, "set-password", "ed@ssa.gov", stdin="another long passphrase\n")
    assert changed.exit_code == 0 and "its sessions have ended" in changed.output
    found = account(db, "ed@ssa.gov")
    assert found is not None and auth.hasher.verify(found[1], "another long passphrase")
    assert run(db, "set-password", "nobody@ssa.gov").exit_code == 1
    disabled = run(db, "disable", "ed@ssa.gov")
    assert disabled.exit_code == 0 and "ed@ssa.gov\teditor\tssa\tdisabled" in run(db, "list").output


def test_the_last_admin_cannot_be_disabled(db: Path) -> None:
    run(db, "create", "only@agency.gov", "--role", "admin")
    refused = run(db, "disable", "only@agency.gov")
    assert refused.exit_code == 1 and "only active admin" in refused.output
