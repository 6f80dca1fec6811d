"""Writes: enrolment and opt-out inside the change-of-coverage window.

The import of the insurer's feed lives in coverage/feed.py.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Member
from privacy.audit.api import audit_record
from privacy.dates import date_text
from privacy.mail import mail_site, member_mail
from privacy.sealed_mail import mail_queue

from .app_settings import app_settings
from .models import Enrolment, EnrolmentStatus, Part
from .selectors import PersonNotFound, member_person, plan_for

# Magic bytes of the formats accepted as proof of other coverage.
PROOF_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def proof_file_check(*, upload) -> tuple[bytes, str]:
    """The file's bytes and real type; ValidationError unless a small PDF, PNG or JPEG.

    The type is sniffed from the content, never trusted from the name or the browser.
    """
    limit = app_settings.PROOF_UPLOAD_MAX_BYTES
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("Le fichier dépasse la taille permise (%(size)s Mo au plus)."),
            code="too_large",
            params={"size": limit // (1024 * 1024)},
        )
    if not data:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    for signature, content_type in PROOF_SIGNATURES:
        if data.startswith(signature):
            return data, content_type
    raise ValidationError(
        _("Ce fichier n’est ni un PDF, ni une image JPEG ou PNG."), code="bad_type"
    )


def _window_check(plan, part: str, on: date) -> None:
    start, end = plan.window(part)
    if not start <= on <= end:
        raise ValidationError(
            _(
                "La période de changement de couverture (%(part)s) va du %(start)s au %(end)s. "
                "Aucun changement n’est possible en dehors de cette période."
            ),
            code="window_closed",
            params={
                "part": Part(part).label.lower(),
                "start": date_text(start),
                "end": date_text(end),
            },
        )


def _member_email(member: Member) -> str:
    user = member.user
    return user.email if user is not None else ""


def _send_confirmation(*, member: Member, enrolment_ids: list[uuid.UUID]) -> None:
    """Mail the confirmation in the member's language, after the change is committed."""
    recipient = _member_email(member)
    if not recipient:
        return
    language = getattr(member, "preferred_language", "") or "fr"
    enrolments = list(
        Enrolment.objects.filter(id__in=enrolment_ids).select_related("plan", "dependant")
    )
    user = member.user
    mail_queue(
        message=member_mail(
            template_prefix="coverage/email/enrolment_changed",
            to=[recipient],
            context={"member": member, "enrolments": enrolments, "first_name": member.first_name},
            language=language,
            site=mail_site(host=getattr(user, "portal_host", ""), language=language),
        )
    )


@transaction.atomic
def enrolment_change(
    *,
    member: Member,
    person_id: uuid.UUID,
    part: str,
    covered: bool,
    proof=None,
    on: date | None = None,
) -> list[Enrolment]:
    """Opt a person in or out of one part, inside the window; returns what changed.

    The member must stay covered to cover dependants, so opting the member out of
    a part opts their dependants out of it too. Opting the member out needs proof
    of other coverage when the plan says so (checked, then stored encrypted).
    """
    on = on or timezone.localdate()
    if part not in Part.values:
        raise ValidationError(_("Volet inconnu."), code="bad_part")
    plan = plan_for(association_id=member.association_id, on=on)
    if plan is None:
        raise ValidationError(
            _("Votre association n’a pas publié de régime pour cette année."), code="no_plan"
        )
    _window_check(plan, part, on)
    person = member_person(member=member, person_id=person_id)
    existing = {
        e.dependant_id: e
        for e in Enrolment.objects.select_for_update().filter(member=member, plan=plan, part=part)
    }
    member_row = existing.get(None)
    member_covered = member_row is not None and member_row.status == EnrolmentStatus.COVERED
    status = EnrolmentStatus.COVERED if covered else EnrolmentStatus.OPTED_OUT
    proof_data, proof_type = None, ""

    if person.is_member and not covered and plan.proof_required:
        if proof is None:
            raise ValidationError(
                _("Joignez une preuve d’autre couverture (PDF, JPEG ou PNG)."),
                code="proof_required",
            )
        proof_data, proof_type = proof_file_check(upload=proof)
    if not person.is_member and covered:
        if not plan.family_allowed:
            raise ValidationError(
                _("Ce régime n’offre pas la couverture familiale."), code="no_family"
            )
        if not member_covered:
            raise ValidationError(
                _("Pour couvrir une personne à charge, vous devez rester couvert vous-même."),
                code="member_not_covered",
            )

    def save(dependant_id, new_status, **extra) -> Enrolment:
        row = existing.get(dependant_id) or Enrolment(
            member=member, dependant_id=dependant_id, plan=plan, part=part
        )
        row.status = new_status
        row.policy_year_end = plan.ends_on
        for name, value in extra.items():
            setattr(row, name, value)
        row.save()
        return row

    changed = []
    if person.is_member:
        # Covered again: the proof is dropped (proof_data is None unless opting out with one).
        changed.append(save(None, status, proof=proof_data, proof_content_type=proof_type))
        if not covered:
            for dependant_id, row in existing.items():
                if dependant_id is not None and row.status != EnrolmentStatus.OPTED_OUT:
                    changed.append(save(dependant_id, EnrolmentStatus.OPTED_OUT))
    else:
        changed.append(save(person.id, status))

    for row in changed:
        audit_record(
            action="coverage.enrolment_changed",
            actor=member.user,
            obj=row,
            subject=member.user,
            metadata={"part": part, "status": row.status},
        )
    ids = [row.id for row in changed]
    transaction.on_commit(lambda: _send_confirmation(member=member, enrolment_ids=ids))
    return changed


__all__ = ["PersonNotFound", "enrolment_change", "proof_file_check"]
