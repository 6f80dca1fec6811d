"""What coverage a dependant added today will have, said before the member confirms.

A person added to the file is not covered by itself: they must be enrolled, and only
inside the change-of-coverage window, for a part the member holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from members.models import Member

from .models import Enrolment, EnrolmentStatus, Part
from .selectors import Window, plan_for, plan_windows


@dataclass(frozen=True)
class PartOutlook:
    part: str
    member_covered: bool
    window: Window

    @property
    def can_enrol_now(self) -> bool:
        return self.member_covered and self.window.is_open


@dataclass(frozen=True)
class NewDependantOutlook:
    has_plan: bool
    family_allowed: bool
    parts: list[PartOutlook]

    @property
    def can_enrol_now(self) -> list[PartOutlook]:
        return [p for p in self.parts if p.can_enrol_now]

    @property
    def not_now(self) -> list[PartOutlook]:
        return [p for p in self.parts if not p.can_enrol_now]


def new_dependant_outlook(*, member: Member, on: date | None = None) -> NewDependantOutlook:
    on = on or timezone.localdate()
    plan = plan_for(association_id=member.association_id, on=on)
    if plan is None:
        return NewDependantOutlook(has_plan=False, family_allowed=False, parts=[])
    covered = set(
        Enrolment.objects.filter(
            member=member, plan=plan, dependant=None, status=EnrolmentStatus.COVERED
        ).values_list("part", flat=True)
    )
    windows = {w.part: w for w in plan_windows(plan=plan, on=on)}
    return NewDependantOutlook(
        has_plan=True,
        family_allowed=plan.family_allowed,
        parts=[
            PartOutlook(part=part, member_covered=part in covered, window=windows[part])
            for part in Part.values
        ],
    )


def new_dependant_notice(*, member: Member) -> SafeString:
    """The notice shown on the add-a-dependant page (members/hooks.py asks for it)."""
    outlook = new_dependant_outlook(member=member)
    # render_to_string gives a SafeString already (the template autoescapes).
    return render_to_string(
        "coverage/_new_dependant_notice.html",
        {
            "outlook": outlook,
            # One line on a phone: a number split over two lines is misdialled.
            "service_centre_phone": format_html(
                '<span class="nowrap">{}</span>', settings.SERVICE_CENTRE_PHONE
            ),
        },
    )
