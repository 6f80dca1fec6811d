import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        # LOWER on both sides, as the unique index on LOWER(email) is built: every
        # sign-in is an index lookup (email__iexact compares UPPER() and scans).
        return self.alias(email_folded=Lower("email")).get(email_folded=Lower(Value(username)))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a student member or a staff member.

    The email is the sign-in identifier. It is the one personal value kept in
    clear, because authentication must look it up; see the data map.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("adresse courriel"), max_length=254, unique=True)
    preferred_language = models.CharField(
        _("langue de communication"),
        max_length=2,
        choices=[("fr", _("Français")), ("en", _("English"))],
        default="fr",
    )
    portal_host = models.CharField(
        _("site utilisé"),
        max_length=253,
        blank=True,
        help_text=_("Le site du portail (ASEQ ou Studentcare) par lequel le membre se connecte."),
    )
    is_staff = models.BooleanField(
        _("membre du personnel"),
        default=False,
        help_text=_("Peut ouvrir l’administration, selon son rôle."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("date d’inscription"), default=timezone.now)
    # Kept by the database (a trigger on members_member, migration 0050), never by this
    # code: whether a member record points at this account. It lets the retention purge
    # walk only the accounts without one through a partial index, where testing every
    # account against the member table took 560 ms a batch at 300,000 accounts. The
    # purge still tests ``member__isnull``: a flag left false only costs time.
    has_member_record = models.BooleanField(default=False, db_default=False, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # (a ClassVar on AbstractBaseUser)

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="members_user_email_ci_unique"),
        ]
        # The admin's filters on 300,000 accounts, in the list's order (email): the few
        # staff and deactivated accounts found without walking the others.
        indexes = [
            # The retention purge walks accounts by (start of their window, pk).
            models.Index(fields=["date_joined", "id"], name="members_user_purge"),
            # ...and the accounts its rule can take: no member record, not staff.
            models.Index(
                fields=["date_joined", "id"],
                condition=Q(has_member_record=False, is_staff=False, is_superuser=False),
                name="members_user_purge_unlinked",
            ),
            models.Index(
                fields=["email"], condition=Q(is_staff=True), name="members_user_staff_email"
            ),
            models.Index(
                fields=["email"], condition=Q(is_active=False), name="members_user_inactive_email"
            ),
        ]

    def __str__(self) -> str:
        return str(self.id)

    def save(self, *args, **kwargs):
        # has_member_record is the database's to write: a whole-row save of an account
        # loaded before its member record was linked must not write back a stale value.
        # (Deferred fields stay unwritten, as Django leaves them.)
        if (
            kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
            and not self._state.adding
        ):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "has_member_record" and f.attname not in deferred
            ]
        super().save(*args, **kwargs)


# The plan's records and what hangs off them, one module per concept.
from .activity import ActivityEvent, ClaimAttempt, DeviceFamily  # noqa: E402
from .location import MemberLocation, Provider  # noqa: E402
from .records import Association, Dependant, Member  # noqa: E402

__all__ = [
    "ActivityEvent",
    "Association",
    "ClaimAttempt",
    "Dependant",
    "DeviceFamily",
    "Member",
    "MemberLocation",
    "Provider",
    "User",
]
