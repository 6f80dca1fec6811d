from django.db import models
from django.utils.translation import gettext_lazy as _


class DataMapInventory(models.Model):
    """No rows, no table: carries the permission to read the data map inventory in admin.

    ``privacy.view_datamapinventory`` opens the read-only inventory (model, field,
    category, purposes, encryption, retention) derived from the data map.
    """

    class Meta:
        managed = False
        default_permissions = ("view",)
        verbose_name = _("inventaire des renseignements personnels")
        verbose_name_plural = _("inventaire des renseignements personnels")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
