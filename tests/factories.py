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


# --- Privacy requests: records declared to the data map (tests/requestsapp) ---


def holder_with_records(user: User, *, kin: int = 2, visits: int = 3, traces: int = 2):
    """A fully populated member: every declared field of the test app has a value."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

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
