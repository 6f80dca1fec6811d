import uuid

from django.db import models


class PrivateModel(models.Model):
    """Base for any model holding personal data.

    The UUID primary key is assigned in Python, so a row's id is known before
    its first save: encrypted values are bound to it. It is also the id that
    appears in URLs (integer ids never leak).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True
