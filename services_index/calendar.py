"""Deadlines of a plan as an iCalendar file (RFC 5545) that calendar apps can import."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from services_index.plan import Plan


def _escape(text: str) -> str:
    """Escape text for an iCalendar TEXT value."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Split a content line into pieces of at most 75 octets, as the standard requires."""
    pieces: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not pieces else 74  # continuation lines start with a space
        if len((current + char).encode("utf-8")) > limit:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return [pieces[0]] + [" " + p for p in pieces[1:]]


def ics(plan: Plan, today: date) -> str:
    """One all-day event per dated deadline still ahead (or today) in the plan."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Federal Front Door//Navigator//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for item in plan.deadlines():
        due = item.deadline.date if item.deadline else None
        if due is None or due < today:
            continue
        service = item.service
        title = f"{item.deadline.label}: {service.name}" if item.deadline else service.name
        summary = item.deadline.summary if item.deadline else ""
        description = f"{summary}\n{service.url}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{service.id}-{due.isoformat()}@navigator",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{due.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(due + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(title)}",
            f"DESCRIPTION:{_escape(description)}",
            f"URL:{service.url}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n"
