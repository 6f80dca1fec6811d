"""Demo accounts for the embedded default (never in production)."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from privacy import roles

from .models import User

DEMO_PASSWORD = "demo-portail-2026"  # noqa: S105 - printed on purpose, demo only


@dataclass(frozen=True)
class DemoAccount:
    email: str
    description: str
    role: str | None = None


DEMO_ACCOUNTS = (
    DemoAccount("etudiante@demo.aseq.ca", "Membre (étudiante) / Member (student)"),
    DemoAccount("etudiant@demo.aseq.ca", "Membre (étudiant) / Member (student)"),
    DemoAccount(
        "services@demo.aseq.ca", "Service aux membres / Member services", roles.MEMBER_SERVICES
    ),
    DemoAccount(
        "confidentialite@demo.aseq.ca",
        "Responsable de la protection des renseignements / Privacy officer",
        roles.PRIVACY_OFFICER,
    ),
    DemoAccount("exploitation@demo.aseq.ca", "Exploitation / Operator", roles.OPERATOR),
)


@transaction.atomic
def demo_accounts_seed() -> list[DemoAccount]:
    """Create the demo accounts, or leave them as they are (idempotent)."""
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email__iexact=account.email).first()
        if user is None:
            user = User.objects.create_user(
                account.email, DEMO_PASSWORD, is_staff=account.role is not None
            )
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        if account.role:
            user.groups.add(Group.objects.get_or_create(name=account.role)[0])
    return list(DEMO_ACCOUNTS)
