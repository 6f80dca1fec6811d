"""Purge runs and legal holds leave audit rows (who and what happened, never values)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.models import AuditEntry, LegalHold
from privacy.retention.api import legal_hold_place, legal_hold_release, retention_purge

pytestmark = pytest.mark.django_db


def test_a_purge_run_writes_an_audit_row_when_it_closes():
    run = retention_purge(started_by="command", dry_run=True)
    entry = AuditEntry.objects.get(action="retention.run_closed")
    assert entry.object_id == str(run.pk)
    assert entry.metadata == {"status": run.status, "dry_run": True, "started_by": "command"}


def test_placing_and_releasing_a_hold_are_audited_against_the_member(member, staff):
    hold = legal_hold_place(
        subject=member,
        kind=LegalHold.Kind.EXPLICIT,
        reason="Recours devant la Commission",
        ends=timezone.now() + timedelta(days=30),
        placed_by=staff,
    )
    legal_hold_release(hold=hold, released_by=staff)
    actions = list(
        AuditEntry.objects.filter(object_id=str(hold.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["legal_hold.placed", "legal_hold.released"]
    assert AuditEntry.objects.filter(action="legal_hold.placed", subject_id=member.pk).exists()
