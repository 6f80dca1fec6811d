import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataKey(models.Model):
    """One person's data key, wrapped under the master keyring; only a tombstone once destroyed.

    Lives in the key store database (alias ``keystore``), never in the main one.
    ``person`` is the id of the member record the key belongs to (dependants and
    claims share it); ``id`` is the reference v2 tokens carry. Destroying sets
    ``wrapped`` to NULL: the tombstone says "destroyed on this date" (a missing row
    would be a broken restore, not a deletion) and holds no key material.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.UUIDField(_("personne"), db_index=True)
    # NULL, not "": destroyed is a state the check constraint ties to destroyed_at.
    wrapped = models.TextField(_("clé enveloppée"), null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    destroyed_at = models.DateTimeField(_("détruite le"), null=True, blank=True)

    class Meta:
        app_label = "privacy"
        verbose_name = _("clé de données")
        verbose_name_plural = _("clés de données")
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wrapped__isnull=True, destroyed_at__isnull=False)
                | models.Q(wrapped__isnull=False, destroyed_at__isnull=True),
                name="privacy_datakey_wrapped_iff_alive",
            ),
        ]

    def __str__(self) -> str:
        return self.id.hex

    @property
    def ref(self) -> str:
        return self.id.hex
