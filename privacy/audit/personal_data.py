"""The audit log, declared to the data map."""

from django.utils.translation import gettext_lazy as _

from privacy.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry
from privacy.datamap.registry import Category, PersonalField, Purpose, declare

declare(
    AuditEntry,
    # Entries name accounts by id in plain columns (no foreign key, so deleting
    # an account never rewrites the log); members see theirs through
    # privacy.staff.selectors.staff_views_of.
    subject=None,
    description=_(
        "Journal d’audit inaltérable : qui a fait quoi, sur quel objet (par identifiant), "
        "quand et depuis quel réseau."
    ),
    personal=[
        PersonalField("actor_id", Category.ACTIVITY, (Purpose.SECURITY, Purpose.LEGAL)),
        PersonalField("subject_id", Category.ACTIVITY, (Purpose.SECURITY, Purpose.LEGAL)),
        PersonalField("ip_prefix", Category.ACTIVITY, (Purpose.SECURITY,)),
        PersonalField("created_at", Category.ACTIVITY, (Purpose.SECURITY, Purpose.LEGAL)),
    ],
    not_personal=[
        "id",
        "actor_role",
        "action",
        "object_type",
        "object_id",
        "metadata",
        "prev_hash",
        "hash",
    ],
    exported=False,
    holdable=False,
    notes=_(
        "Ne contient jamais de valeur personnelle : des identifiants, des codes et une adresse "
        "réseau tronquée (IPv4 /24, IPv6 /48). Les entrées anciennes ne sortent que par "
        "« manage.py purge_audit_log », qui laisse un point de reprise pour que la chaîne "
        "reste vérifiable."
    ),
)

declare(
    AuditChainHead,
    subject=None,
    description=_("La dernière entrée du journal d’audit (numéro et empreinte)."),
    personal=[],
    not_personal=["id", "last_id", "last_hash"],
    exported=False,
)

declare(
    AuditCheckpoint,
    subject=None,
    description=_("Où la chaîne reprend après le retrait d’entrées anciennes."),
    personal=[],
    not_personal=["id", "created_at", "through_id", "through_hash", "removed_count"],
    exported=False,
)
