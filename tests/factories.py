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
