import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import encrypt
from django.utils import timezone
from factory.django import DjangoModelFactory

from members.models import Association, Dependant, Member, Provider, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """Verified primary email unless verified=False is passed."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    is_staff = True
    email = factory.Sequence(lambda n: f"staff{n}@example.org")


def totp_authenticator_add(user: User) -> Authenticator:
    """Turn on TOTP for a user, as if they had scanned the QR code."""
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.TOTP,
        data={"secret": encrypt(generate_totp_secret())},
    )


# --- Members: the plan's records ---------------------------------------------


class AssociationFactory(DjangoModelFactory):
    class Meta:
        model = Association
        django_get_or_create = ("short_code",)

    short_code = factory.Sequence(lambda n: f"AE{n}")
    slug = factory.LazyAttribute(lambda o: o.short_code.lower())
    name_fr = factory.LazyAttribute(lambda o: f"Association étudiante {o.short_code}")
    name_en = factory.LazyAttribute(lambda o: f"{o.short_code} Student Association")


class MemberFactory(DjangoModelFactory):
    """An unclaimed record as the insurer's feed delivers it; ``user=`` claims it."""

    class Meta:
        model = Member

    association = factory.SubFactory(AssociationFactory)
    member_number = factory.Sequence(lambda n: f"ASEQ-{200000 + n}")
    student_number = factory.Sequence(lambda n: f"{20240000 + n}")
    first_name = factory.Faker("first_name", locale="fr_CA")
    last_name = factory.Faker("last_name", locale="fr_CA")
    date_of_birth = factory.Sequence(lambda n: datetime.date(2001, 1, 1) + datetime.timedelta(n))
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    phone = "514 555-0100"
    address_line1 = "123, rue Principale"
    city = "Montréal"
    province = "QC"
    postal_code = "H2X 1Y4"
    user = None
    claimed_at = factory.LazyAttribute(lambda o: timezone.now() if o.user else None)


def _next_suffix(dependant) -> int:
    if dependant.relationship == Dependant.Relationship.SPOUSE:
        return Dependant.SPOUSE_SUFFIX
    taken = Dependant.objects.filter(
        member=dependant.member, relationship=Dependant.Relationship.CHILD
    ).values_list("suffix", flat=True)
    return max(taken, default=Dependant.FIRST_CHILD_SUFFIX - 1) + 1


class DependantFactory(DjangoModelFactory):
    """A minor child by default."""

    class Meta:
        model = Dependant

    member = factory.SubFactory(MemberFactory)
    relationship = Dependant.Relationship.CHILD
    suffix = factory.LazyAttribute(_next_suffix)
    first_name = factory.Faker("first_name", locale="fr_CA")
    last_name = factory.Faker("last_name", locale="fr_CA")
    date_of_birth = factory.Sequence(lambda n: datetime.date(2015, 1, 1) + datetime.timedelta(n))


class ProviderFactory(DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Clinique {n}")
    kind = Provider.Kind.CLINIC
    address = "1, rue Sainte-Catherine"
    city = "Montréal"
    postal_code = "H3B 1A1"
    latitude = 45.5
    longitude = -73.567


# --- Staff side: the admin gate -----------------------------------------------


def staff_admin_ready(user: User, *, role: str | None = None) -> User:
    """Everything the admin gate asks of staff: MFA on, and every current staff
    document (confidentiality agreement, procedures) accepted; optionally a role."""
    from django.contrib.auth.models import Group

    from privacy.models import StaffDocumentAcceptance
    from privacy.staff.selectors import staff_documents_pending

    totp_authenticator_add(user)
    for document in staff_documents_pending(user=user):
        StaffDocumentAcceptance.objects.create(user=user, document=document)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


# --- Coverage ----------------------------------------------------------------
from decimal import Decimal  # noqa: E402

from coverage import rules  # noqa: E402
from coverage.models import Claim, ClaimStatus  # noqa: E402


class ClaimFactory(DjangoModelFactory):
    """A paid claim; pass member, benefit, service_date and amounts."""

    class Meta:
        model = Claim

    reference = factory.Sequence(lambda n: f"CLM-{n:08d}")
    status = ClaimStatus.PAID
    policy_year_end = factory.LazyAttribute(
        lambda o: rules.policy_year_bounds(rules.policy_year_of(o.service_date))[1]
    )
    amount_claimed_cents = 8500
    amount_paid_cents = factory.LazyAttribute(
        lambda o: o.amount_claimed_cents if o.status == ClaimStatus.PAID else None
    )
    received_on = factory.LazyAttribute(lambda o: o.service_date)
    provider_name = "Clinique"


# --- Privacy requests: records declared to the data map (tests/requestsapp) ---


def holder_with_records(user: User, *, kin: int = 2, visits: int = 3, traces: int = 2):
    """A fully populated member: every declared field of the test app has a value."""
    from tests.requestsapp.models import Holder, Kin, Trace, Visit

    serial = str(user.pk.int % 10**8).zfill(8)
    holder = Holder.objects.create(
        user=user,
        full_name=f"Camille Tremblay {serial}",
        birth_date=datetime.date(2001, 4, 9),
        student_number=serial,
        phone="514-555-0199",
        city="Montréal",
    )
    for i in range(kin):
        Kin.objects.create(
            holder=holder,
            first_name=f"Enfant{i} {serial}",
            birth_date=datetime.date(2019, 1, 1 + i),
        )
    today = timezone.localdate()
    for i in range(visits):
        Visit.objects.create(
            holder=holder,
            service_on=today - datetime.timedelta(days=30 * (i + 1)),
            amount=Decimal("80.00") + i,
            description=f"Examen dentaire {i} {serial}",
        )
    for i in range(traces):
        Trace.objects.create(user=user, what=f"connexion-{i}")
    return holder


def fully_populated_member(user: User) -> dict:
    """Rows in every exported model of the data map, each field with a value.

    The member's plan record and dependants (members), enrolments with a proof and
    claims (coverage), the test app's records (tests/requestsapp), a session,
    consent proofs, activity, location, a disclosure to a processor, the
    retention tests' records (tests/retentionapp), and a correction request with
    a supporting document and a staff message (which places a legal hold).
    """
    from allauth.usersessions.models import UserSession

    from coverage import rules
    from coverage.demo import claims_seed, enrolment_seed, plan_seed
    from members.models import ActivityEvent, MemberLocation
    from privacy.consent.models import ConsentSource
    from privacy.consent.selectors import policy_version_list
    from privacy.consent.services import consent_record, policy_acknowledge
    from privacy.registers.models import Disclosure
    from privacy.registers.services import demo_processors_seed, disclosure_record
    from privacy.requests import services
    from privacy.requests.models import PrivacyRequestMessage, RequestKind
    from tests.staffapp.models import CaseFile

    now = timezone.now()
    holder = holder_with_records(user)
    tag = user.pk.hex[:8]
    record = MemberFactory(
        user=user,
        first_name=f"Prénom-{tag}",
        last_name=f"Nom-{tag}",
        address_line2="app. 4",
        updates_opt_in=True,
        updates_opt_in_at=now,
        preferred_language=user.preferred_language,
    )
    child = DependantFactory(member=record, first_name=f"Enfant-{tag}")
    DependantFactory(member=record, first_name=f"Cadet-{tag}", last_name=f"Nom-{tag}")
    plan = plan_seed(
        association=record.association, policy_year=rules.policy_year_of(timezone.localdate())
    )
    enrolment_seed(member=record, plan=plan, dependants=[child])
    enrolment = record.enrolments.filter(dependant__isnull=True).first()
    enrolment.proof = b"%PDF-1.7\n%%EOF"
    enrolment.proof_content_type = "application/pdf"
    enrolment.save()
    claims_seed(member=record, plan=plan, dependant=child, prefix=f"T{tag}")
    ActivityEvent.objects.create(
        user=user,
        kind=ActivityEvent.Kind.PROFILE_UPDATED,
        device_family="mobile",
        ip_network="203.0.113.0",
        changed_fields="phone",
    )
    MemberLocation.objects.create(member=record, area="H2X")
    UserSession.objects.create(
        user=user, ip="203.0.113.0", session_key=f"s{user.pk.hex}", user_agent="Firefox"
    )
    user.last_login = now
    user.save(update_fields=["last_login"])
    consent_record(
        consent_id=None,
        choices={"analytics": True, "preferences": False, "location": True},
        gpc=False,
        language="fr",
        source=ConsentSource.values[0],
        ip_address="203.0.113.42",
        user=user,
    )
    policy_acknowledge(user=user, versions=list(policy_version_list()))
    correction = services.privacy_request_submit(
        account=user,
        kind=RequestKind.CORRECTION,
        details="Mon nom a changé.",
        corrections_asked=[(f"requestsapp.Holder|{holder.pk}|full_name", "Camille Roy")],
        document=("acte.pdf", b"%PDF-1.7\n%%EOF"),
    )
    PrivacyRequestMessage.objects.create(request=correction, body="Nous avons reçu votre pièce.")
    (processor,) = demo_processors_seed()
    disclosure_record(
        recipient=processor,
        subject=user,
        categories=["contact"],
        legal_basis=Disclosure.LegalBasis.PROCESSOR_MANDATE,
    )
    CaseFile.objects.create(
        owner=user, student_number=f"9{tag}", date_of_birth=datetime.date(2001, 4, 9)
    )
    VisitFactory(account=user)  # the retention tests' models (tests/retentionapp)
    EnquiryFactory(account=user)
    note = DossierNoteFactory(dossier__account=user)
    stamp = note.dossier.stamps.create(stamped_at=timezone.now())
    stamp.notes.create(written_at=timezone.now(), text="Appel du membre.")
    return {"holder": holder, "record": record, "correction": correction}


# --- Retention purge: the tests-only app (tests/retentionapp) ---------------
def days_ago(days: float):
    return timezone.now() - datetime.timedelta(days=days)


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = "retentionapp.Visit"

    account = factory.SubFactory(UserFactory)
    visited_at = factory.LazyFunction(lambda: days_ago(1))
    page = factory.Sequence(lambda n: f"/page/{n}")


class EnquiryFactory(DjangoModelFactory):
    class Meta:
        model = "retentionapp.Enquiry"

    account = factory.SubFactory(UserFactory)
    closed_on = factory.LazyFunction(lambda: days_ago(1).date())
    name = factory.Sequence(lambda n: f"Camille Tremblay {n}")
    phone = "514-555-0199"
    body = "Ma carte ne fonctionne pas à la pharmacie."
    email = factory.Sequence(lambda n: f"camille{n}@example.org")
    topic = "card"


class DossierFactory(DjangoModelFactory):
    class Meta:
        model = "retentionapp.Dossier"

    account = factory.SubFactory(UserFactory)
    closed_at = factory.LazyFunction(lambda: days_ago(1))
    title = "Réclamation contestée"


class DossierNoteFactory(DjangoModelFactory):
    class Meta:
        model = "retentionapp.DossierNote"

    dossier = factory.SubFactory(DossierFactory)
    written_at = factory.LazyFunction(lambda: days_ago(1))
    text = "Appel du membre."


class PageCountFactory(DjangoModelFactory):
    class Meta:
        model = "retentionapp.PageCount"

    day = factory.LazyFunction(lambda: days_ago(1).date())
    path = "/fr/contact/"
    views = 3
