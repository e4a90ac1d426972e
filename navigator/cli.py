"""The ``navigator`` command: serve, init-db, seed, validate."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from life_experiences.errors import DataFileError


def _app(**overrides: Any) -> Any:
    from navigator import create_app

    return create_app({"AUTO_SEED": False, **overrides})


class _Friendly(click.Group):
    """Turn database problems into one clear line instead of a trace."""

    def invoke(self, ctx: click.Context) -> Any:
        import sqlite3

        from services_index.store import StoreError

        try:
            return super().invoke(ctx)
        except (StoreError, sqlite3.OperationalError) as exc:
            hint = " (another process is writing; try again in a moment)" if "locked" in str(exc) else ""
            click.echo(f"error: {exc}{hint}. Nothing was changed.", err=True)
            sys.exit(1)


@click.group(cls=_Friendly)
def main() -> None:
    """Federal Front Door navigator."""


@main.command("init-db")
def init_db() -> None:
    """Create the database file and apply migrations."""
    app = _app()
    store = app.extensions["navigator.store"]
    store.migrate()
    click.echo(f"database ready: {store.path}")


@main.command()
def seed() -> None:
    """Load seed content (idempotent; entries staff have edited are kept)."""
    from services_index.content import load_content

    app = _app()
    store = app.extensions["navigator.store"]
    store.migrate()
    report = store.seed(load_content(app.extensions["navigator.bank"]))
    click.echo(
        f"agencies: {report.agencies}, documents: {report.documents}, services added: "
        f"{report.added}, updated: {report.updated}, unchanged or kept: {report.kept}"
    )
    from navigator import translation_rows

    added, updated, kept = store.seed_translations(translation_rows(app.config["LOCALES"]))
    click.echo(f"translations added: {added}, updated: {updated}, unchanged or kept: {kept}")


@main.command()
def validate() -> None:
    """Check every data file and golden scenario."""
    from services_index.validate import main as run

    sys.exit(run())


@main.command("import-agencies")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would change and write nothing.")
def import_agencies(path: Path, dry_run: bool) -> None:
    """Load the USA.gov A-Z agency directory (JSON); curated agency facts are kept."""
    from services_index.agency_directory import read

    agencies, problems = read(path)
    if problems:
        _fail(problems)
    store = _store()
    added, filled, unchanged = store.import_agencies(agencies, dry_run=dry_run)
    prefix = "would add" if dry_run else "added"
    click.echo(f"{prefix} {added} agencies, filled missing facts for {filled}, {unchanged} unchanged")


@main.command("import-programs")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would change and write nothing.")
def import_programs(path: Path, dry_run: bool) -> None:
    """Load Federal Program Inventory records as non-curated entries (all or nothing)."""
    from services_index.programs import read

    programs, problems = read(path)
    if problems:
        _fail(problems)
    report = _store().import_programs(programs, dry_run=dry_run)
    click.echo(("dry run: " if dry_run else "") + report.summary())
    if dry_run:
        for label, items in (("would add", report.added), ("would update", report.updated)):
            if items:
                shown = ", ".join(items[:20]) + (f" and {len(items) - 20} more" if len(items) > 20 else "")
                click.echo(f"  {label}: {shown}")


@main.command()
def stats() -> None:
    """Life experiences, curated services per life experience, agencies, programs, reading grades."""
    from life_experiences.readability import grade

    store = _store()
    bank = store.bank
    services = store.published_services()
    counts = store.counts()
    click.echo(f"life experiences: {len(bank.experiences)}")
    click.echo(
        f"curated services: {counts['services']} ({sum(1 for s in services if not s.life_experiences)} "
        "everyday tasks found by search)"
    )
    for slug, experience in bank.experiences.items():
        in_it = sum(1 for s in services if slug in s.life_experiences)
        click.echo(f"  {slug}: {in_it} services, {len(experience.questions)} questions")
    click.echo(f"agencies: {counts['agencies']}")
    click.echo(
        f"programs (Assistance Listings): {counts['programs']} ({counts['public_programs']} for people)"
    )
    grades = sorted(grade(s.summary) for s in services)
    if grades:
        bands = {"up to 6": 0, "6 to 8": 0, "8 to 10": 0, "over 10": 0}
        for value in grades:
            band = (
                "up to 6"
                if value <= 6
                else "6 to 8"
                if value <= 8
                else "8 to 10"
                if value <= 10
                else "over 10"
            )
            bands[band] += 1
        click.echo(
            f"reading grade of summaries: median {grades[len(grades) // 2]}, "
            f"highest {grades[-1]}; " + ", ".join(f"{k}: {v}" for k, v in bands.items())
        )


@main.group()
def links() -> None:
    """Check the links in the index."""


@links.command("check")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds to wait for each URL.")
@click.option("--workers", default=8, show_default=True, help="URLs checked at the same time.")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("instance/link-report.json"),
    show_default=True,
)
@click.option("--url", "urls", multiple=True, help="Check only these URLs (repeatable).")
def links_check(timeout: float, workers: int, report_path: Path, urls: tuple[str, ...]) -> None:
    """Check every URL (HEAD then GET), follow redirects, and write a report."""
    import json

    from services_index import links as checker

    store = _store()
    targets = list(urls) or checker.urls_of(store.published_services(), store.agencies().values())
    results = [r.row() for r in checker.check_all(targets, timeout=timeout, workers=workers)]
    if not store.read_only:
        store.save_link_checks(results)
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(json.dumps({"checked": len(results), "results": results}, indent=1))
    broken = [r for r in results if not r["ok"]]
    redirected = [r for r in results if r["ok"] and r["redirects"]]
    click.echo(
        f"checked {len(results)} URLs: {len(results) - len(broken)} ok "
        f"({len(redirected)} redirected), {len(broken)} broken; report: {report_path}"
    )
    for r in broken:
        click.echo(f"  BROKEN {r['url']}: {r['error'] or r['status']}")
    for r in redirected:
        click.echo(f"  REDIRECT {r['url']} -> {r['final_url']}")
    if broken:
        sys.exit(1)


def _store() -> Any:
    app = _app()
    store = app.extensions["navigator.store"]
    if not store.read_only:
        store.migrate()
    return store


def _fail(problems: list[str]) -> NoReturn:
    for problem in problems[:200]:
        click.echo(problem, err=True)
    if len(problems) > 200:
        click.echo(f"... and {len(problems) - 200} more", err=True)
    click.echo(f"{len(problems)} problem(s): nothing was written.", err=True)
    sys.exit(1)


@main.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Copy the live database to PATH with SQLite's online backup."""
    from services_index.store import StoreError, backup

    app = _app()
    try:
        backup(Path(app.config["DATABASE"]), path)
    except (StoreError, OSError) as exc:
        _fail([str(exc)])
    click.echo(f"backed up {app.config['DATABASE']} to {path}")


@main.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(path: Path) -> None:
    """Replace the database with the backup at PATH (checked first)."""
    from services_index.store import StoreError, restore

    app = _app()
    try:
        restore(path, Path(app.config["DATABASE"]))
    except (StoreError, OSError) as exc:
        _fail([str(exc)])
    click.echo(f"restored {app.config['DATABASE']} from {path}")


@main.command()
@click.option("--host", default=lambda: os.environ.get("HOST", "127.0.0.1"), show_default="127.0.0.1")
@click.option("--port", default=lambda: int(os.environ.get("PORT", "5000")), type=int, show_default="5000")
@click.option(
    "--workers",
    default=lambda: int(os.environ.get("WEB_CONCURRENCY", "2")),
    type=int,
    show_default="2 (WEB_CONCURRENCY)",
)
def serve(host: str, port: int, workers: int) -> None:
    """Serve with gunicorn (the production server) on HOST:PORT."""
    from gunicorn.app.base import BaseApplication

    from navigator import create_app

    # Create, migrate and seed once before workers start, so they never race.
    try:
        create_app()
    except DataFileError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            # Only method, path and status: no query strings, no referrers, no user agents.
            self.cfg.set("access_log_format", '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms')

        def load(self) -> Any:
            return create_app()

    click.echo(f"Serving the navigator on http://{host}:{port}/")
    Server().run()


@main.group()
def users() -> None:
    """Staff accounts: create, list, set a password, disable."""


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


def _agency_ids(store: Any, given: list[str]) -> list[str]:
    """Agency ids for what was typed: ids or acronyms, in any case."""
    by_name = {a.id.lower(): a.id for a in store.agencies().values()}
    by_name.update({a.acronym.lower(): a.id for a in store.agencies().values() if a.acronym})
    return [by_name.get(name.lower(), name) for name in given]


def _read_password(confirm: bool = True) -> str:
    """The password from standard input when it is not a terminal, else asked for (twice)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=confirm))


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "editor", "reviewer"]), required=True)
@click.option("--agency", "agencies", default="", help="Agencies an editor may edit, e.g. SSA,VA.")
@click.option("--locale", "locales", default="", help="Languages a reviewer reviews, e.g. es,fr.")
def users_create(email: str, role: str, agencies: str, locales: str) -> None:
    """Create an account; the password is read from standard input, or asked for twice."""
    from navigator import auth
    from services_index.accounts import AccountError

    store = _store()
    password = _read_password()
    problem = auth.password_problem(password, email)
    if problem:
        _fail([f"password: {problem}"])
    try:
        user = store.accounts.create_user(
            email,
            auth.hash_password(password),
            role,
            _agency_ids(store, _split(agencies)),
            _split(locales),
            by="cli",
            now=auth.utcnow(),
        )
    except AccountError as exc:
        _fail([str(exc)])
    scope = ", ".join(user.agencies or user.locales)
    click.echo(f"created {user.role} {user.email}" + (f" ({scope})" if scope else ""))


@users.command("list")
def users_list() -> None:
    """List every account with its role, scope and whether it is disabled."""
    for user in _store().accounts.users():
        scope = ",".join(user.agencies or user.locales) or "-"
        state = "disabled" if user.disabled else "active"
        click.echo(f"{user.email}\t{user.role}\t{scope}\t{state}")


@users.command("set-password")
@click.argument("email")
def users_set_password(email: str) -> None:
    """Set a new password (from standard input, or asked for twice); ends the account's sessions."""
    from navigator import auth

    store = _store()
    found = store.accounts.user_by_email(email)
    if found is None:
        _fail([f"there is no account for {email}"])
    password = _read_password()
    problem = auth.password_problem(password, email)
    if problem:
        _fail([f"password: {problem}"])
    store.accounts.set_password_hash(found[0].id, auth.hash_password(password), "cli", auth.utcnow())
    click.echo(f"password set for {found[0].email}; its sessions have ended")


@users.command("disable")
@click.argument("email")
def users_disable(email: str) -> None:
    """Disable an account: it can no longer sign in, and its sessions end."""
    from navigator import auth
    from services_index.accounts import AccountError

    store = _store()
    found = store.accounts.user_by_email(email)
    if found is None:
        _fail([f"there is no account for {email}"])
    user = found[0]
    try:
        store.accounts.update_user(
            user.id, user.role, user.agencies, user.locales, True, "cli", auth.utcnow()
        )
    except AccountError as exc:
        _fail([str(exc)])
    click.echo(f"disabled {user.email}")


@main.group()
def services() -> None:
    """Service entries: export and import in bulk."""


@services.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option(
    "--all", "everything", is_flag=True, help="Every entry's latest revision, drafts and archived too."
)
def services_export(path: Path, fmt: str, everything: bool) -> None:
    """Write the published entries (or all of them) to PATH as JSON or CSV."""
    from navigator import auth
    from services_index import transfer
    from services_index.store import now

    store = _store()
    scope = "all" if everything else "published"
    found = transfer.records(store.staff_entries(), store.published_data(), scope)
    text = transfer.to_json(found, scope, now()) if fmt == "json" else transfer.to_csv(found)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    if not store.read_only:
        store.accounts.audit(
            "cli", "export", auth.utcnow(), "file", str(path), {"scope": scope, "entries": len(found)}
        )
    click.echo(f"exported {len(found)} {scope} entries to {path}")


@services.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--author", required=True, help="Email of the staff account the changes are recorded under.")
@click.option("--dry-run", is_flag=True, help="Report what would change and write nothing.")
@click.option("--publish", is_flag=True, help="Publish the imported entries at once.")
def services_import(path: Path, author: str, dry_run: bool, publish: bool) -> None:
    """Import entries from JSON or CSV: all of them as new revisions in one transaction, or nothing."""
    from navigator import auth
    from services_index import transfer
    from services_index.editing import EditError

    store = _store()
    found = store.accounts.user_by_email(author)
    if found is None or found[0].disabled:
        _fail([f"--author: there is no active account for {author}"])
    user = found[0]
    if user.role == "reviewer":
        _fail([f"--author: {author} is a reviewer, and reviewers do not edit services"])
    limit = _app().config["MAX_IMPORT_BYTES"]
    if path.stat().st_size > limit:
        _fail([f"{path}: the file is larger than {limit} bytes (NAVIGATOR_MAX_IMPORT_BYTES)"])
    rows, problems = transfer.read(path.read_bytes(), path.name)
    current = {e.id: e for e in store.staff_entries()}
    plan = transfer.plan(rows, current, store.entry_problems, auth.editable_agencies(user))
    problems += plan.problems
    if problems:
        _fail(problems)
    click.echo(("dry run: " if dry_run else "") + plan.summary())
    for service_id in plan.added:
        click.echo(f"  add {service_id}")
    for service_id, fields in plan.changed:
        click.echo(f"  change {service_id}: {', '.join(fields)}")
    if dry_run or not plan.entries:
        return
    try:
        store.import_services(plan.entries, plan.bases, user.email, f"Imported from {path.name}", publish)
    except EditError as exc:
        _fail([f"{exc}; nothing was imported"])
    click.echo(f"imported {len(plan.entries)} entries" + (" and published them" if publish else ""))


if __name__ == "__main__":
    main()


@main.group()
def translations() -> None:
    """Catalogs of interface text, questions and index content, in every language."""


@translations.command("extract-content")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def translations_extract_content(output: Path | None) -> None:
    """Write translations/content.pot from the seed services, agencies and documents."""
    from navigator import i18n_catalogs

    target = output or i18n_catalogs.TRANSLATIONS / "content.pot"
    i18n_catalogs.extract_content(target)
    click.echo(f"wrote {target}")


@translations.command("status")
@click.option("--files", is_flag=True, help="Count the catalogs in translations/ instead of the database.")
def translations_status(files: bool) -> None:
    """Coverage per language and kind (interface, questions, services) and counts per status."""
    from navigator import i18n_catalogs
    from navigator.config import LOCALES

    keys = i18n_catalogs.template_keys()
    store = None if files else _store()
    click.echo(f"{'locale':8} {'interface':>10} {'questions':>10} {'services':>10}  statuses")
    for locale in LOCALES[1:]:
        rows = i18n_catalogs.file_rows(locale) if store is None else store.translations(locale)
        item = i18n_catalogs.coverage(locale, rows, keys)
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(item.statuses.items()))
        click.echo(
            f"{locale:8} {item.percent('interface'):>9}% {item.percent('questions'):>9}% "
            f"{item.percent('services'):>9}%  {statuses}"
        )


@translations.command("check")
@click.option("--record", is_flag=True, help="Record today's coverage as the new floor.")
def translations_check(record: bool) -> None:
    """Fail when a template is stale, a placeholder differs, or coverage dropped."""
    from navigator import i18n_catalogs
    from navigator.config import LOCALES

    problems = [
        f"translations/{name} is out of date: run 'make i18n-extract i18n-update'"
        for name in i18n_catalogs.stale_templates()
    ]
    keys = i18n_catalogs.template_keys()
    found = []
    for locale in LOCALES[1:]:
        rows = i18n_catalogs.file_rows(locale)
        problems.extend(i18n_catalogs.placeholder_problems(rows))
        found.append(i18n_catalogs.coverage(locale, rows, keys))
    problems.extend(i18n_catalogs.coverage_drops(found))
    if problems:
        _fail(problems)
    if record:
        i18n_catalogs.record_coverage(found)
        click.echo(f"recorded coverage in {i18n_catalogs.COVERAGE_FILE}")
    click.echo("catalogs are up to date")


@translations.command("load")
def translations_load() -> None:
    """Load translations/ into the database (rows edited here are kept)."""
    from navigator import translation_rows
    from navigator.config import LOCALES

    store = _store()
    added, updated, kept = store.seed_translations(translation_rows(LOCALES))
    click.echo(f"translations added: {added}, updated: {updated}, unchanged or kept: {kept}")


@translations.command("export")
@click.option("--locale", "only", multiple=True, help="Export only these locales (repeatable).")
def translations_export(only: tuple[str, ...]) -> None:
    """Write the database's translations back into translations/<locale>/LC_MESSAGES/*.po."""
    from navigator import i18n_catalogs
    from navigator.config import LOCALES
    from services_index.translations import (
        CONTENT,
        MESSAGES,
        catalog_path,
        export_catalog,
        read_template,
        write_catalog,
    )

    store = _store()
    for locale in only or LOCALES[1:]:
        if locale not in LOCALES[1:]:
            _fail([f"unknown locale {locale!r}; choose from {', '.join(LOCALES[1:])}"])
        rows = store.translations(locale)
        for domain in (MESSAGES, CONTENT):
            template = read_template(i18n_catalogs.TRANSLATIONS / f"{domain}.pot")
            path = catalog_path(i18n_catalogs.TRANSLATIONS, locale, domain)
            write_catalog(export_catalog(template, rows, locale, domain), path)
            click.echo(f"wrote {path.relative_to(i18n_catalogs.ROOT)}")


@translations.command("compile")
def translations_compile() -> None:
    """Compile the interface catalogs to .mo files (used when the database cannot be read).

    Babel's own compile step treats any "%" followed by a letter as a format (as in "35% of"),
    which our data text never is; placeholders are checked by 'navigator translations check'.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from navigator import i18n_catalogs
    from navigator.config import LOCALES
    from services_index.translations import MESSAGES, babel_locale, catalog_path

    for locale in LOCALES[1:]:
        source = catalog_path(i18n_catalogs.TRANSLATIONS, locale, MESSAGES)
        if not source.exists():
            continue
        with source.open("rb") as handle:
            catalog = read_po(handle, locale=babel_locale(locale))
        with source.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        translated = sum(1 for m in catalog if m.id and m.string and not m.fuzzy)
        click.echo(f"{locale}: {translated} of {len([m for m in catalog if m.id])} messages compiled")
