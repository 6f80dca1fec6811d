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
