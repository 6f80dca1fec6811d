"""The audit log: append-only rows forming a SHA-256 hash chain.

Rows are written only by ``privacy.audit.audit_record`` and removed only by
``privacy.audit.audit_purge`` (which leaves a checkpoint so the chain still
verifies). Python refuses every other change; on PostgreSQL a trigger does too.
"""

import contextvars

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64
CHAIN_HEAD_PK = 1

# Set only by audit_purge while it removes the oldest entries.
purge_in_progress: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "privacy_audit_purge_in_progress", default=False
)


class AuditLogImmutable(Exception):
    """An audit entry may be appended, never changed nor removed out of band."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("Audit entries cannot be changed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogImmutable("Audit entries cannot be changed.")

    def bulk_create(self, objs, *args, **kwargs):
        raise AuditLogImmutable("Audit entries are appended one at a time by audit_record.")

    def delete(self):
        if not purge_in_progress.get():
            raise AuditLogImmutable("Audit entries are removed only by purge_audit_log.")
        return super().delete()

    delete.queryset_only = True


class AuditCheckpointQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("Audit checkpoints cannot be changed.")

    def delete(self):
        raise AuditLogImmutable("Audit checkpoints cannot be removed.")

    delete.queryset_only = True


class AuditEntry(models.Model):
    """Who did what, to which object (by id), about whom, when, from where."""

    id = models.BigIntegerField(_("numéro"), primary_key=True)
    created_at = models.DateTimeField(_("date"), db_index=True)
    # Empty for the system; subject empty when the object is about no account.
    actor_id = models.CharField(_("auteur (identifiant)"), max_length=64, blank=True)
    actor_role = models.CharField(_("rôle de l’auteur"), max_length=32)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("type d’objet"), max_length=100, blank=True)
    object_id = models.CharField(_("identifiant de l’objet"), max_length=64, blank=True)
    subject_id = models.CharField(_("compte concerné (identifiant)"), max_length=64, blank=True)
    ip_prefix = models.CharField(_("réseau d’origine"), max_length=50, blank=True)
    metadata = models.JSONField(_("précisions"), default=dict, blank=True)
    prev_hash = models.CharField(_("empreinte précédente"), max_length=64)
    hash = models.CharField(_("empreinte"), max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrée du journal d’audit")
        verbose_name_plural = _("journal d’audit")
        ordering = ("-id",)
        indexes = [
            models.Index(fields=["subject_id", "created_at"], name="privacy_audit_subject_idx"),
            # The admin's exact searches and filters over millions of entries, each in
            # the list's order (newest id first): an index range, never the whole log.
            models.Index(fields=["object_id", "id"], name="privacy_audit_object_idx"),
            models.Index(fields=["actor_id", "id"], name="privacy_audit_actor_idx"),
            models.Index(fields=["actor_role", "id"], name="privacy_audit_role_idx"),
            # A family of actions is a prefix ("admin."): LIKE needs the pattern opclass
            # on PostgreSQL whatever the database's collation (ignored elsewhere).
            models.Index(
                fields=["action"],
                name="privacy_audit_action_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(id__gte=1), name="privacy_auditentry_id_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable("Audit entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("Audit entries are removed only by purge_audit_log.")


class AuditChainHead(models.Model):
    """One row: the last entry appended. Appends lock it, so they queue in order."""

    id = models.PositiveSmallIntegerField(_("identifiant"), primary_key=True, default=CHAIN_HEAD_PK)
    last_id = models.BigIntegerField(_("dernier numéro"), default=0)
    last_hash = models.CharField(_("dernière empreinte"), max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("tête de la chaîne d’audit")
        verbose_name_plural = _("tête de la chaîne d’audit")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=CHAIN_HEAD_PK), name="privacy_auditchainhead_single_row"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.last_id}"


class AuditCheckpoint(models.Model):
    """Where the chain starts after old entries were purged.

    Records the id and hash of the last removed entry, so the first kept entry
    still proves its link; the purge itself is an entry of the chain.
    """

    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    through_id = models.BigIntegerField(_("retirées jusqu’au numéro"), unique=True)
    through_hash = models.CharField(_("empreinte de la dernière entrée retirée"), max_length=64)
    removed_count = models.PositiveIntegerField(_("entrées retirées"))

    objects = AuditCheckpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("point de reprise du journal d’audit")
        verbose_name_plural = _("points de reprise du journal d’audit")
        ordering = ("-through_id",)

    def __str__(self) -> str:
        return f"≤ #{self.through_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable("Audit checkpoints cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("Audit checkpoints cannot be removed.")
