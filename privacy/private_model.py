import uuid

from django.db import models
from django.db.models.expressions import F

from privacy.fields import (
    EncryptedFieldError,
    blind_indexes_over,
    encrypted_field_at,
    is_encrypted,
)


def _ordering_paths(item) -> list[str]:
    if isinstance(item, str):
        return [] if item == "?" else [item.lstrip("-+")]
    if isinstance(item, F):
        return [str(item.name)]  # type: ignore[attr-defined]  # F(name) keeps its name
    paths = []
    for source in getattr(item, "get_source_expressions", list)():
        paths.extend(_ordering_paths(source))
    return paths


class PrivateQuerySet(models.QuerySet):
    """Refuses what cannot work on ciphertext, with a clear error instead of a silent miss."""

    def order_by(self, *field_names):
        for item in field_names:
            for path in _ordering_paths(item):
                field = encrypted_field_at(self.model, path)
                if field is not None:
                    raise field._unsupported("order_by")
        return super().order_by(*field_names)

    def update(self, **kwargs):
        extra = {}
        for name, value in kwargs.items():
            field = encrypted_field_at(self.model, name)
            if field is None:
                continue
            if value is not None:
                raise EncryptedFieldError(
                    f"{self.model._meta.label}.{field.name} is encrypted: QuerySet.update() "
                    "cannot bind a ciphertext to each row. Save the instances instead "
                    "(key rotation uses its own path: manage.py rotate_encryption_keys)."
                )
            # Clearing a value clears its blind indexes too: they stay in step.
            extra.update({index.name: None for index in blind_indexes_over(self.model, field.name)})
        return super().update(**{**extra, **kwargs})

    update.alters_data = True  # type: ignore[attr-defined]  # Django's flag on a method

    def bulk_update(self, objs, fields, batch_size=None):
        for name in fields:
            field = self.model._meta.get_field(name)
            if is_encrypted(field):
                raise EncryptedFieldError(
                    f"{self.model._meta.label}.{field.name} is encrypted: bulk_update() cannot "
                    "bind a ciphertext to each row. Save the instances instead."
                )
        return super().bulk_update(objs, fields, batch_size=batch_size)

    bulk_update.alters_data = True  # type: ignore[attr-defined]  # Django's flag on a method


_PrivateManagerBase = models.Manager.from_queryset(PrivateQuerySet)


class PrivateManager(_PrivateManagerBase):
    pass


class PrivateModel(models.Model):
    """Base for any model holding personal data.

    The UUID primary key is assigned in Python, so a row's id is known before
    its first save: encrypted values are bound to it. It is also the id that
    appears in URLs (integer ids never leak). Its queryset refuses lookups,
    ordering and bulk writes that cannot work on encrypted fields.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    # The attribute holding the id of the person whose data key seals this row's
    # encrypted values ("id" on the person's own record, "member_id" on the rows of
    # their household); None: the master keyring seals them (v1). See privacy/keystore.
    data_key_owner: str | None = None

    objects = PrivateManager()

    class Meta:
        abstract = True
