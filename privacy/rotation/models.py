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
