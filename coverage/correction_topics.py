"""How a member's claims and enrolments read in a correction request.

A claim is named by its date and care type, as on the claims page; the member may
ask to correct what they told the insurer (date, amount, provider), not the
insurer's decision (status, amount paid, reasons: a review request, or "something
else"). An enrolment is named by its part and year.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from members.models import Member
from privacy.dates import date_text
from privacy.requests.api import (
    CHOICE,
    DATE,
    GROUP_CLAIM,
    GROUP_ENROLMENT,
    ME,
    MONEY,
    TEXT,
    Topic,
    TopicField,
)

from .models import Claim, Enrolment, EnrolmentStatus, Part
from .templatetags.coverage_tags import format_money


def _person(member: Member, dependant) -> tuple[str, str]:
    if dependant is None:
        return ME, _("Vous (%(name)s)") % {"name": member.full_name}
    return str(dependant.pk), dependant.full_name


def _claim_topic(member: Member, claim: Claim) -> Topic:
    person_key, person_label = _person(member, claim.dependant)
    return Topic(
        person_key=person_key,
        person_label=person_label,
        group=GROUP_CLAIM,
        label=_("Demande du %(date)s — %(care)s, %(amount)s")
        % {
            "date": date_text(claim.service_date),
            "care": claim.benefit.name,
            "amount": format_money(claim.amount_claimed),
        },
        model_label=Claim._meta.label,
        object_id=str(claim.pk),
        fields=(
            TopicField("service_date", _("Date des soins"), DATE, claim.service_date),
            TopicField(
                "amount_claimed_cents", _("Montant réclamé"), MONEY, claim.amount_claimed_cents
            ),
            TopicField("provider_name", _("Fournisseur de soins"), TEXT, claim.provider_name),
        ),
    )


def _enrolment_topic(member: Member, enrolment: Enrolment) -> Topic:
    person_key, person_label = _person(member, enrolment.dependant)
    plan = enrolment.plan
    return Topic(
        person_key=person_key,
        person_label=person_label,
        group=GROUP_ENROLMENT,
        label=_("Adhésion au volet %(part)s, %(start)s–%(end)s")
        % {
            "part": str(Part(enrolment.part).label).lower(),
            "start": plan.starts_on.year,
            "end": plan.ends_on.year,
        },
        model_label=Enrolment._meta.label,
        object_id=str(enrolment.pk),
        fields=(
            TopicField(
                "status",
                _("Statut de la couverture"),
                CHOICE,
                enrolment.status,
                choices=tuple((str(k), str(v)) for k, v in EnrolmentStatus.choices),
            ),
        ),
    )


def correction_topics(*, user) -> list[Topic]:
    member = Member.objects.filter(user=user).first() if user.is_authenticated else None
    if member is None:
        return []
    claims = sorted(
        Claim.objects.filter(member=member).select_related("benefit", "dependant"),
        key=lambda c: c.service_date,
        reverse=True,
    )
    enrolments = Enrolment.objects.filter(member=member).select_related("plan", "dependant")
    enrolments = sorted(enrolments, key=lambda e: (-e.plan.policy_year, Part.values.index(e.part)))
    return [_claim_topic(member, c) for c in claims] + [
        _enrolment_topic(member, e) for e in enrolments
    ]
