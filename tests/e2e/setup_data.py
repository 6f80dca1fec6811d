"""Data the journeys set up on the server's side (run through Server.python, never in the
test process: the portal's database belongs to the gunicorn the harness started)."""

from __future__ import annotations

from django.utils import timezone

JOURNEY_SCHOOL = {
    "short_code": "PARCOURS",
    "slug": "parcours",
    "name_fr": "Association des parcours (essais)",
    "name_en": "Journeys Student Association (tests)",
}


def plan_member_create(*, address: str, language: str, serial: str) -> None:
    """Give the account ``address`` a claimed member record in ``language``, covered
    (health and dental) by this year's plan of the journeys' own school, whose
    change-of-coverage window is open today (demo schools keep their own dates)."""
    from coverage import rules
    from coverage.demo import enrolment_seed, plan_seed, window_open_around
    from members.models import Association, Member, User

    today = timezone.localdate()
    year = rules.policy_year_of(today)
    association, _ = Association.objects.get_or_create(
        short_code=JOURNEY_SCHOOL["short_code"],
        defaults={k: v for k, v in JOURNEY_SCHOOL.items() if k != "short_code"},
    )
    window = window_open_around(today, before_days=7, after_days=21)
    plan = plan_seed(association=association, policy_year=year, windows=window)
    user = User.objects.get(email=address)
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    member = Member.objects.create(
        association=association,
        member_number=f"ASEQ-8{serial}",
        student_number=f"P{serial}",
        first_name="Noor",
        last_name="Parcours",
        date_of_birth="2002-04-11",
        city="Montréal",
        province="QC",
        preferred_language=language,
        user=user,
        claimed_at=timezone.now(),
    )
    enrolment_seed(member=member, plan=plan)


def sign_in_age(*, session_key: str, seconds: int) -> None:
    """Move a session's sign-in back in time, as if the member had signed in long ago
    (so sensitive pages ask for the password again)."""
    from importlib import import_module

    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from django.conf import settings

    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    records = session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
    assert records, "this session records no sign-in"
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**record, "at": record["at"] - seconds} for record in records
    ]
    session.save()


def family_and_claim_add(*, address: str) -> None:
    """A child (born 2 June 2015) and one claim of the member's, for the correction journey."""
    from datetime import date, timedelta

    from coverage.models import Benefit, Claim, ClaimStatus
    from members.models import Dependant, Member

    member = Member.objects.get(user__email=address)
    Dependant.objects.create(
        member=member,
        relationship=Dependant.Relationship.CHILD,
        suffix=Dependant.FIRST_CHILD_SUFFIX,
        first_name="Léa",
        last_name="Parcours",
        date_of_birth=date(2015, 6, 2),
    )
    enrolment = member.enrolments.select_related("plan").first()
    plan = enrolment.plan
    benefit = Benefit.objects.filter(plan=plan).order_by("position").first()
    served = timezone.localdate() - timedelta(days=20)
    Claim.objects.create(
        member=member,
        benefit=benefit,
        reference=f"PARCOURS-{member.member_number}-1",
        status=ClaimStatus.PAID,
        policy_year_end=plan.ends_on,
        service_date=served,
        amount_claimed_cents=8500,
        amount_paid_cents=6800,
        provider_name="Clinique du Parcours",
        received_on=served + timedelta(days=2),
        in_review_on=served + timedelta(days=3),
        decided_on=served + timedelta(days=5),
    )
