"""The ``navigator`` command: serve, init-db, seed, validate."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from life_experiences.errors import DataFileError


def _app(**overrides: Any) -> Any:
    from navigator import create_app

    return create_app({"AUTO_SEED": False, **overrides})


@click.group()
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
    click.echo(f"agencies: {report.agencies}, documents: {report.documents}, services added: "
               f"{report.added}, updated: {report.updated}, unchanged or kept: {report.kept}")


@main.command()
def validate() -> None:
    """Check every data file and golden scenario."""
    from services_index.validate import main as run

    sys.exit(run())


@main.command()
@click.option("--host", default=lambda: os.environ.get("HOST", "127.0.0.1"), show_default="127.0.0.1")
@click.option("--port", default=lambda: int(os.environ.get("PORT", "5000")), type=int, show_default="5000")
@click.option("--workers", default=lambda: int(os.environ.get("WEB_CONCURRENCY", "2")), type=int,
              show_default="2 (WEB_CONCURRENCY)")
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


if __name__ == "__main__":
    main()
