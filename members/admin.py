from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.staff.api import (
    AccountsByNameMixin,
    BigListMixin,
    BlindIndexSearchMixin,
    MaskedFieldsMixin,
    ReadOnlyAdminMixin,
    StaffAccessAuditMixin,
    account_label,
)

from . import dashboard, people, services  # noqa: F401  (panels, how staff name accounts)
from .lookup import members_find_by_name_and_birth, name_and_birth_parse
from .models import ActivityEvent, Association, ClaimAttempt, Dependant, Member, Provider, User
from .text import PlainTextField


class PlainTextAdminMixin:
    """Names and addresses typed by staff: invisible and control characters refused with
    the members' message, what is kept NFC-normalised (members/text.py)."""

    plain_text_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.plain_text_fields:
            kwargs["form_class"] = PlainTextField
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


@admin.register(User)
class UserAdmin(StaffAccessAuditMixin, MaskedFieldsMixin, BigListMixin, DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("account_name", "email", "is_staff", "is_active", "date_joined")
    # Opening an account is audited (the member sees it); emails are masked in lists.
    masked_fields = ("email",)
    list_filter = ("is_staff", "is_active", "groups")
    # The exact sign-in address, through the LOWER(email) index (never a substring scan).
    search_fields = ("email",)
    search_help_text = _("Adresse de connexion exacte.")
    list_select_related = ("member",)
    readonly_fields = ("date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password", "preferred_language")}),
        (_("Accès"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ("groups",)

    @admin.display(description=_("compte"))
    def account_name(self, user: User) -> str:
        # The member record comes with the list (list_select_related): no query a row.
        try:
            return user.member.member_number
        except Member.DoesNotExist:
            return account_label(user)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.alias(email_folded=Lower("email")).filter(email_folded=term.lower()), False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:  # the page's subtitle and breadcrumb name the account, not its id
            context["subtitle"] = account_label(obj)
            context["original"] = _NamedAccount(obj)
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )


class _NamedAccount:
    """The account for the change page's template: its label where the page prints it."""

    def __init__(self, user: User):
        self._user = user

    def __getattr__(self, name):
        return getattr(self._user, name)

    def __str__(self) -> str:
        return account_label(self._user)


# --- The plan's records ---------------------------------------------------------


@admin.register(Association)
class AssociationAdmin(PlainTextAdminMixin, admin.ModelAdmin):
    plain_text_fields = ("name_fr", "name_en")
    list_display = ("short_code", "name_fr", "name_en", "slug")
    search_fields = ("short_code", "name_fr", "name_en", "slug")
    prepopulated_fields = {"slug": ("short_code",)}


class ClaimedFilter(admin.SimpleListFilter):
    title = _("rattachement")
    parameter_name = "claimed"

    def lookups(self, request, model_admin):
        return (("yes", _("Rattaché à un compte")), ("no", _("Non rattaché")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(user__isnull=False)
        if self.value() == "no":
            return queryset.filter(user__isnull=True)
        return queryset


class BoundedInlineMixin:
    """An inline whose formset builds at most ``max_num`` forms, whatever a post claims.

    Django's own ceiling (``absolute_max``) is ``max_num + 1000``: one small post could
    make the admin build and render a thousand forms. Past the bound, the change form
    shows an error at once.
    """

    max_num = 100

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", self.get_max_num(request, obj, **kwargs))
        return super().get_formset(request, obj, **kwargs)


class DependantInline(BoundedInlineMixin, admin.TabularInline):
    model = Dependant
    extra = 0
    fields = ("relationship", "suffix", "first_name", "last_name", "date_of_birth")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(
    PlainTextAdminMixin,
    AccountsByNameMixin,
    StaffAccessAuditMixin,
    BlindIndexSearchMixin,
    BigListMixin,
    admin.ModelAdmin,
):
    account_fields = ("user",)
    plain_text_fields = ("address_line1", "address_line2", "city")
    # Opening a record is audited: the member sees who on staff looked at it.
    list_display = ("member_number", "association", "is_claimed", "updates_opt_in", "created_at")
    list_filter = ("association", ClaimedFilter, "updates_opt_in", "preferred_language")
    # Exact values only, each an index lookup: a substring of the member number
    # would scan every record (and defeat the blind indexes it is OR-ed with).
    exact_search_fields = ("member_number",)
    blind_index_search_fields = ("student_number", "email")
    search_help_text = _(
        "Numéro de membre, numéro d’étudiant ou courriel de contact, exacts ; ou nom de famille "
        "et date de naissance ensemble, par exemple « Tremblay 2001-03-04 » (accents et "
        "majuscules sans importance, pas de nom partiel). Chaque recherche par nom est "
        "consignée au journal d’audit."
    )
    list_select_related = ("association",)
    raw_id_fields = ("user",)
    inlines = [DependantInline]

    def get_search_results(self, request, queryset, search_term):
        """A family name and a date of birth: the audited pair lookup; anything else as before."""
        pair = name_and_birth_parse(search_term)
        if pair is None:
            return super().get_search_results(request, queryset, search_term)
        last_name, date_of_birth = pair
        found = members_find_by_name_and_birth(
            last_name=last_name, date_of_birth=date_of_birth, actor=request.user, request=request
        )
        return queryset.filter(pk__in=found.values("pk")), False

    actions = ["unlink_accounts"]
    fieldsets = (
        (
            _("Dossier de l’assureur (correction par demande seulement)"),
            {"fields": Member.INSURER_OWNED_FIELDS},
        ),
        (
            _("Coordonnées et préférences (gérées par le membre)"),
            {
                "fields": (
                    "email",
                    "phone",
                    "address_line1",
                    "address_line2",
                    "city",
                    "province",
                    "postal_code",
                    "preferred_language",
                    "updates_opt_in",
                    "updates_opt_in_at",
                )
            },
        ),
        (_("Compte"), {"fields": ("user", "claimed_at", "created_at", "updated_at")}),
    )

    # Insurer-owned fields change through a correction request, the account link
    # through claim and the unlink action, consent to updates only by the member.
    readonly_fields = (
        *Member.INSURER_OWNED_FIELDS,
        "updates_opt_in",
        "updates_opt_in_at",
        "user",
        "claimed_at",
        "created_at",
        "updated_at",
    )

    def save_model(self, request, obj, form, change):
        """Staff correct contact details for a member who calls: through the service."""
        staff_editable = set(services.CONTACT_FIELDS) | {"preferred_language"}
        changes = {
            name: form.cleaned_data[name] for name in form.changed_data if name in staff_editable
        }
        if changes:
            services.member_profile_update(
                member=Member.objects.get(pk=obj.pk), changes=changes, actor=request.user
            )

    def has_add_permission(self, request):
        return False  # records come from the insurer's feed

    def has_delete_permission(self, request, obj=None):
        return False  # deletion goes through a privacy request

    @admin.display(boolean=True, description=_("rattaché"))
    def is_claimed(self, obj: Member) -> bool:
        return obj.user_id is not None

    @admin.action(description=_("Détacher le compte (rattachement erroné)"), permissions=["change"])
    def unlink_accounts(self, request, queryset):
        count = sum(services.member_unlink(member=member, by=request.user) for member in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d dossier détaché de son compte.",
                "%(count)d dossiers détachés de leur compte.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Dependant)
class DependantAdmin(StaffAccessAuditMixin, BlindIndexSearchMixin, BigListMixin, admin.ModelAdmin):
    list_display = ("__str__", "relationship", "created_at")
    list_filter = ("relationship",)
    exact_search_fields = ("member__member_number",)
    search_help_text = _("Numéro de membre exact, par exemple ASEQ-1234567.")
    # Each member's dependants together, by the (member, suffix) unique index: ordering
    # by member number joined and sorted all 75,000 rows for every page.
    ordering = ("member_id", "suffix")
    list_select_related = ("member",)
    raw_id_fields = ("member",)
    readonly_fields = (
        "member",
        "relationship",
        "suffix",
        "first_name",
        "last_name",
        "date_of_birth",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Provider)
class ProviderAdmin(PlainTextAdminMixin, admin.ModelAdmin):
    plain_text_fields = ("name", "address", "city")
    list_display = ("name", "kind", "city", "postal_code", "in_network", "is_active")
    list_filter = ("kind", "in_network", "is_active", "city")
    search_fields = ("name", "city", "postal_code")


@admin.register(ClaimAttempt)
class ClaimAttemptAdmin(
    AccountsByNameMixin, StaffAccessAuditMixin, ReadOnlyAdminMixin, admin.ModelAdmin
):
    """The claim-your-record security log: read only."""

    account_fields = ("user",)
    list_display = ("attempted_at", "outcome", "ip_network", "user", "member")
    list_filter = ("outcome",)
    date_hierarchy = "attempted_at"
    list_select_related = ("user", "member")
    raw_id_fields = ("user", "member")


@admin.register(ActivityEvent)
class ActivityEventAdmin(
    AccountsByNameMixin, StaffAccessAuditMixin, ReadOnlyAdminMixin, admin.ModelAdmin
):
    """Members' own activity, read only, for member services answering a member."""

    account_fields = ("user",)
    list_display = ("occurred_at", "kind", "device_family", "ip_network", "user")
    list_filter = ("kind", "device_family")
    date_hierarchy = "occurred_at"
    list_select_related = ("user",)
    raw_id_fields = ("user",)
