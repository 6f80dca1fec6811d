import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import encrypt
from factory.django import DjangoModelFactory

from members.models import User

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
