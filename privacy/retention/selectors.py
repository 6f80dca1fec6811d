"""Reads about retention: holds in force, for the deletion plan and admin."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet

from privacy.retention.models import LegalHold


def legal_holds_active(*, subject: AbstractBaseUser, at: datetime | None = None) -> QuerySet:
    """The holds keeping ``subject``'s data now (or at ``at``)."""
    return LegalHold.objects.active(at).filter(subject=subject)
