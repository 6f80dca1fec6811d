"""What the staff workspace journeys work on, set up on the server's side (Server.python):
an overdue privacy request, a member findable by family name and date of birth, a purge."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

WORKSPACE_BIRTH = date(2001, 3, 4)


def overdue_request_create(*, address: str, serial: str) -> str:
    """A member (account ``address``) whose access request is 3 days overdue; its reference."""
    from members.models import Association, Member, User
    from privacy.requests import services
    from privacy.requests.models import PrivacyRequest, RequestKind

    user = User.objects.get(email=address)
    association, _ = Association.objects.get_or_create(
        short_code="ESPACE",
        defaults={"slug": "espace", "name_fr": "Espace (essais)", "name_en": "Workspace (tests)"},
    )
    Member.objects.create(
        association=association,
        member_number=f"ASEQ-7{serial}",
        student_number=f"W{serial}",
        first_name="Linh",
        last_name="Nguyễn",
        date_of_birth=WORKSPACE_BIRTH,
        user=user,
        claimed_at=timezone.now(),
    )
    privacy_request = services.privacy_request_submit(account=user, kind=RequestKind.ACCESS)
    PrivacyRequest.objects.filter(pk=privacy_request.pk).update(
        due_on=timezone.localdate() - timedelta(days=3)
    )
    return privacy_request.reference


def finished_purge_create() -> None:
    """A real purge run by the schedule, as the operator reads it the next morning."""
    from privacy.retention.api import retention_purge

    retention_purge(started_by="beat")
