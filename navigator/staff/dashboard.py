"""The staff dashboard: entries needing attention, anonymous feedback, and how far people get."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask import Response
from flask_babel import gettext as _

from life_experiences.model import LifeExperience
from navigator import auth
from navigator.db import get_bank, get_store, today
from navigator.htmx import render
from navigator.staff.blueprint import bp
from services_index import editing

SHOWN = 10


@dataclass(frozen=True)
class Step:
    """One step of a life experience and how many people reached it."""

    label: str
    count: int
    percent: int

    @property
    def bar(self) -> int:
        """The bar's length as a CSS class step (multiples of 5)."""
        return int(round(self.percent / 5) * 5)


def funnel(experience: LifeExperience) -> list[Step]:
    """How many people reached each step of a life experience, in the order of the flow."""
    counts = get_store().step_counts(experience.slug)
    bank = get_bank()
    steps = [("start", _("Started"))]
    steps += [(q, bank.questions[q].text) for q in experience.questions if counts.get(q)]
    steps += [("review", _("Checked their answers")), ("plan", _("Saw their plan"))]
    top = max([counts.get("start", 0), *counts.values()], default=0)
    return [
        Step(label, counts.get(key, 0), round(100 * counts.get(key, 0) / top) if top else 0)
        for key, label in steps
    ]


def feedback_rows() -> list[dict[str, object]]:
    """Anonymous feedback totals per life experience (or combination), with the share that trusted us."""
    titles = {slug: e.title for slug, e in get_bank().experiences.items()}
    rows = []
    for row in get_store().feedback_totals():
        slugs = [s for s in (row["life_experiences"] or "").split(",") if s]
        responses = int(row["responses"])
        trusted = int(row["trusted"] or 0)
        rows.append(
            {
                "life_experiences": " + ".join(titles.get(s, s) for s in slugs) or _("(none chosen)"),
                "responses": responses,
                "trusted": trusted,
                "percent": round(100 * trusted / responses) if responses else 0,
            }
        )
    return rows


@bp.get("/")
@auth.roles(*auth.EDITING)
def dashboard() -> Response:
    """What needs attention in this person's entries, feedback, and the funnel of each life experience."""
    user = auth.current_user()
    assert user is not None
    store = get_store()
    visible = [e for e in store.staff_entries() if user.can_edit_agency(e.agency)]
    broken_urls = store.broken_links()
    day = today()
    stale = [e for e in visible if e.state != "archived" and e.not_verified_since(day)]
    broken = [(e, editing.broken_in(e, broken_urls)) for e in visible if e.state != "archived"]
    broken = [(e, links) for e, links in broken if links]
    pending = [e for e in visible if e.awaiting_publishing]
    experiences = list(get_bank().experiences.values())
    return render(
        "staff/dashboard.html",
        stale=stale,
        broken=broken,
        pending=pending,
        shown=SHOWN,
        stale_days=editing.STALE_DAYS,
        feedback=feedback_rows(),
        funnels=[(e, funnel(e)) for e in experiences],
        active="dashboard",
    )


@bp.get("/feedback.csv")
@auth.roles(*auth.EDITING)
def feedback_csv() -> Response:
    """The feedback totals as a CSV file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["life_experiences", "responses", "trusted", "percent_trusted"])
    for row in feedback_rows():
        writer.writerow([row["life_experiences"], row["responses"], row["trusted"], row["percent"]])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="feedback.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response
