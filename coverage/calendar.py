"""The member's change-of-coverage deadline as an iCalendar file (RFC 5545)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.utils.translation import gettext as _

from .models import Part


def _escape(text: str) -> str:
    return (
        str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded, as RFC 5545 asks."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > 74:
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def deadline_ics(*, windows, plan_name: str, url: str, uid_base: str) -> str:
    """One all-day event per part, on the last day of its change-of-coverage window."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//aseq-portal//coverage//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for window in windows:
        end: date = window.end
        summary = _("Dernier jour pour changer votre couverture (%(part)s)") % {
            "part": Part(window.part).label.lower()
        }
        description = _("%(plan)s : période du %(start)s au %(end)s. %(url)s") % {
            "plan": plan_name,
            "start": window.start.isoformat(),
            "end": end.isoformat(),
            "url": url,
        }
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid_base}-{window.part}-{end.isoformat()}@aseq-portal",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{end.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(end + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(description)}",
            f"URL:{url}",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "TRIGGER:-P3D",
            f"DESCRIPTION:{_escape(summary)}",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
