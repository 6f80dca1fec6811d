from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyRotationStatus(models.Model):
    """No rows, no table: carries the permission to read the key rotation status.

    ``privacy.view_keyrotationstatus`` shows how many stored values each key id
    seals (counts only, never values): operators check that a retired key
    seals nothing before removing it.
    """

    class Meta:
        managed = False
        default_permissions = ("view",)
        verbose_name = _("état de la rotation des clés")
        verbose_name_plural = _("état de la rotation des clés")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class KeyCensus(models.Model):
    """The last count of stored values per key: counting scans every encrypted column
    (seconds to minutes at scale), so the rotation command and a task count, and the
    status page and the dashboard read the count with its date.

    One row (the latest count), replaced at each recount.
    """

    counted_at = models.DateTimeField()
    # Key id -> v1 values sealed directly under that master key (encrypted columns and
    # sealed sources such as MFA secrets); "?" for key ids absent from the keyring.
    values_by_key = models.JSONField(default=dict)
    # v2 values: sealed under a person's data key (which a master key wraps).
    values_under_data_keys = models.PositiveBigIntegerField(default=0)
    # Key id -> data keys wrapped under that master key.
    data_keys_by_key = models.JSONField(default=dict)

    class Meta:
        default_permissions = ()
        verbose_name = _("décompte des clés")
        verbose_name_plural = _("décomptes des clés")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
