"""Staff roles: Django groups with least-privilege permissions.

A data migration creates the groups; ``roles_sync()`` (run after every
``migrate``, once every app's permissions exist) gives each group exactly the
permissions ``role_permissions()`` names: privacy's own (``ROLE_PERMISSIONS``)
and those each app grants on its own models (``grant()``, called from the
app's ``staff_access.py`` beside its ``personal_data.py``). Entries not (yet)
present are skipped and listed.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

MEMBER_SERVICES = "member_services"
PRIVACY_OFFICER = "privacy_officer"
OPERATOR = "operator"

ROLES = (MEMBER_SERVICES, PRIVACY_OFFICER, OPERATOR)

ROLE_LABELS = {
    MEMBER_SERVICES: _("Service aux membres"),
    PRIVACY_OFFICER: _("Responsable de la protection des renseignements personnels"),
    OPERATOR: _("Exploitation"),
}

# Who acted, as the audit log records it: a role above, or one of these.
SUPERUSER = "superuser"
STAFF = "staff"
MEMBER = "member"
SYSTEM = "system"

ACTOR_LABELS = {
    **ROLE_LABELS,
    SUPERUSER: _("Accès d’urgence (superutilisateur)"),
    STAFF: _("Personnel sans rôle"),
    MEMBER: _("Membre"),
    SYSTEM: _("Système"),
}

# role -> "app_label.codename" (shell-style wildcards allowed, e.g. "coverage.view_*").
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    # The apps grant their own models (members/staff_access.py, coverage/...);
    # of privacy: that a privacy request exists and its status, never its content.
    MEMBER_SERVICES: ("privacy.view_privacyrequeststatus",),
    # Privacy requests, the data map inventory, consent proof and policies,
    # retention, registers, audit log.
    PRIVACY_OFFICER: (
        "privacy.view_privacyrequest",
        "privacy.change_privacyrequest",
        "privacy.triage_privacyrequest",
        "privacy.view_privacyrequeststatus",
        "privacy.view_datamapinventory",
        "privacy.view_consentrecord",
        "privacy.view_policyacknowledgement",
        "privacy.view_pagecount",
        "privacy.view_policyversion",
        "privacy.add_policyversion",
        "privacy.view_retentionrun",
        "privacy.view_anonymisationrecord",
        "privacy.view_legalhold",
        "privacy.add_legalhold",
        "privacy.change_legalhold",
        "privacy.view_auditentry",
        "privacy.view_auditcheckpoint",
        "privacy.view_processor",
        "privacy.add_processor",
        "privacy.change_processor",
        "privacy.view_disclosure",
        "privacy.add_disclosure",
        "privacy.view_confidentialityincident",
        "privacy.add_confidentialityincident",
        "privacy.change_confidentialityincident",
        "privacy.view_personincharge",
        "privacy.add_personincharge",
        "privacy.change_personincharge",
        "privacy.view_staffdocument",
        "privacy.add_staffdocument",
        "privacy.view_staffdocumentacceptance",
    ),
    # Retention runs and key rotation status; no member data.
    OPERATOR: (
        "privacy.view_retentionrun",
        "privacy.view_keyrotationstatus",
    ),
}


# role -> permissions granted by other apps on their own models (``grant()``).
_GRANTED: dict[str, list[str]] = {role: [] for role in ROLES}


def grant(role: str, *permissions: str) -> None:
    """Give ``role`` these permissions ("app_label.codename", wildcards allowed).

    Each app calls it for its own models, from its ``AppConfig.ready()``.
    """
    if role not in _GRANTED:
        raise ValueError(f"Unknown staff role {role!r}; use one of {ROLES}")
    for permission in permissions:
        if permission not in _GRANTED[role]:
            _GRANTED[role].append(permission)


def role_permissions() -> dict[str, tuple[str, ...]]:
    """Every role's permissions: privacy's own, then what the apps granted."""
    return {role: (*ROLE_PERMISSIONS[role], *_GRANTED[role]) for role in ROLES}


def role_of(user) -> str:
    """The role an action is recorded under (the first of ROLES the user holds)."""
    if user is None:
        return SYSTEM
    if getattr(user, "is_superuser", False):
        return SUPERUSER
    if not getattr(user, "is_staff", False):
        return MEMBER
    held = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    return next((role for role in ROLES if role in held), STAFF)


@dataclass(frozen=True)
class RolesSyncResult:
    assigned: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Entries of the mapping that match no permission (yet).
    missing: tuple[str, ...] = ()


def roles_sync(*, mapping: Mapping[str, Iterable[str]] | None = None) -> RolesSyncResult:
    """Give each role's group exactly the permissions its mapping names."""
    from django.contrib.auth.models import Group, Permission
    from django.db import transaction

    mapping = role_permissions() if mapping is None else mapping
    available = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    assigned: dict[str, tuple[str, ...]] = {}
    missing: list[str] = []
    with transaction.atomic():
        for role, patterns in mapping.items():
            names: set[str] = set()
            for pattern in patterns:
                matched = fnmatch.filter(available, pattern)
                if not matched:
                    missing.append(f"{role}: {pattern}")
                names.update(matched)
            group, _created = Group.objects.get_or_create(name=role)
            group.permissions.set([available[name] for name in names])
            assigned[role] = tuple(sorted(names))
    return RolesSyncResult(assigned=assigned, missing=tuple(missing))
