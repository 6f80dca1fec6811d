from django.conf import settings
from django.db import models

from privacy.fields import BlindIndexField, EncryptedEmailField
from privacy.models import PrivateModel


class Visit(PrivateModel):
    """Deleted 30 days after the visit; indexed on (start date, pk) for the purge."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    visited_at = models.DateTimeField()
    page = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["visited_at", "id"], name="retentionapp_visit_purge")]

    def __str__(self) -> str:
        return f"visit {self.pk}"


class Enquiry(PrivateModel):
    """Anonymised a year after it is closed; an open one (closed_on NULL) is kept."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    name = models.CharField(max_length=100, blank=True)
    # Nullable like an encrypted field: anonymisation writes NULL here, "" elsewhere.
    phone = models.CharField(max_length=30, null=True, blank=True)  # noqa: DJ001
    body = models.TextField(blank=True)
    # Encrypted, with its blind index: anonymisation blanks both.
    email = EncryptedEmailField(null=True, blank=True)
    email_index = BlindIndexField(source="email", normaliser="email")
    topic = models.CharField(max_length=50)

    class Meta:
        indexes = [models.Index(fields=["closed_on", "id"], name="retentionapp_enquiry_purge")]


class Dossier(PrivateModel):
    """Deleted 90 days after closing, unless its notes (own rule) still exist."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    closed_at = models.DateTimeField()
    title = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["closed_at", "id"], name="retentionapp_dossier_purge")]


class DossierLink(models.Model):
    """Undeclared, SET_NULL, listed before the dossier's other relations: a dossier's
    deletion only clears the link, and the purge must go on to check the relations after it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.SET_NULL, null=True, related_name="links")

    def __str__(self) -> str:
        return f"link {self.pk}"


class DossierNote(PrivateModel):
    """Declared with its own, longer rule: a dossier's deletion must not take it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notes")
    written_at = models.DateTimeField()
    text = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["written_at", "id"], name="retentionapp_dossiernote_purge")]


class NoteMark(models.Model):
    """Undeclared child of a note: the note is then collected for deletion row by row
    (never a fast delete), which the purge's last guard must check too."""

    note = models.ForeignKey(DossierNote, on_delete=models.CASCADE, related_name="marks")

    def __str__(self) -> str:
        return f"mark {self.pk}"


class DossierStamp(models.Model):
    """Undeclared: it goes with its dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="stamps")
    stamped_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"stamp {self.pk}"


class StampNote(PrivateModel):
    """Declared, two hops below a dossier (Dossier -> DossierStamp -> StampNote): the
    purge must follow the undeclared stamp to find it, and refuse the dossier."""

    stamp = models.ForeignKey(DossierStamp, on_delete=models.CASCADE, related_name="notes")
    written_at = models.DateTimeField()
    text = models.TextField()


class StampCopy(models.Model):
    """Undeclared, and refers to its own kind: the cascade walk must end."""

    stamp = models.ForeignKey(DossierStamp, on_delete=models.CASCADE, related_name="copies")
    original = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="copies"
    )

    def __str__(self) -> str:
        return f"copy {self.pk}"


class DossierSeal(models.Model):
    """Undeclared but PROTECT, and hidden (no reverse name): a dossier under seal cannot
    be deleted, so it is left."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"seal {self.pk}"


class PageCount(models.Model):
    """Reaches no account: no legal hold can keep it."""

    day = models.DateField()
    path = models.CharField(max_length=100)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "id"], name="retentionapp_pagecount_purge")]

    def __str__(self) -> str:
        return f"{self.day} {self.path}"
