"""Dates as the member reads them, in one place: pages, mails, the attestation, the export.

French writes the first day of a month "1er" ("1er octobre 2026"), English uses
Django's formats ("Oct. 1, 2026"); moments are shown in the portal's time zone
(Montreal). Template filters: ``{{ day|long_date }}``, ``{{ moment|long_datetime }}``.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django import template
from django.utils import formats, timezone, translation

register = template.Library()

_FIRST = re.compile(r"^1(?=[ \u00a0])")


def _in(language: str | None, fmt: str, value) -> str:
    if language:
        with translation.override(language):
            return _in(None, fmt, value)
    text = formats.date_format(value, fmt)
    if (translation.get_language() or "")[:2] == "fr":
        text = _FIRST.sub("1er", text)
    return text


def date_text(value: date | datetime | None, language: str | None = None) -> str:
    """ "1er octobre 2026" / "Oct. 1, 2026"; "" for no date."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return _in(language, "DATE_FORMAT", value)


def datetime_text(value: datetime | None, language: str | None = None) -> str:
    """ "1er octobre 2026 14:05" / "Oct. 1, 2026, 2:05 p.m.", in Montreal time."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return _in(language, "DATETIME_FORMAT", value)


@register.filter
def long_date(value) -> str:
    return date_text(value)


@register.filter
def long_datetime(value) -> str:
    return datetime_text(value)
