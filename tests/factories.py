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
from coverage.models import Claim, ClaimStatus, Enrolment, EnrolmentStatus  # noqa: E402


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    status = EnrolmentStatus.COVERED
    policy_year_end = factory.LazyAttribute(lambda o: o.plan.ends_on)


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


def money_cents(value: str) -> int:
    return rules.money_to_cents(Decimal(value))


# --- Retention purge: the tests-only app (tests/retentionapp) ---------------
def days_ago(days: float):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() - timedelta(days=days)


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
