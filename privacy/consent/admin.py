"""Consent records and page counts are read-only proof; policies are published, never edited."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from privacy.adminkit.readonly import ReadOnlyAdminMixin
from privacy.consent.models import ConsentRecord, PageCount
from privacy.consent.policy_models import PolicyAcknowledgement, PolicyVersion
from privacy.consent.services import policy_publish


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "consent_id",
        "source",
        "preferences",
        "analytics",
        "location",
        "gpc",
        "language",
        "privacy_policy_version",
        "cookie_policy_version",
    )
    list_filter = ("source", "preferences", "analytics", "location", "gpc", "language")
    search_fields = ("=consent_id",)
    raw_id_fields = ("user",)
    date_hierarchy = "created_at"
    list_select_related = ("privacy_policy_version", "cookie_policy_version")


@admin.register(PolicyAcknowledgement)
class PolicyAcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ("acknowledged_at", "policy_version")
    list_filter = ("policy_version",)
    raw_id_fields = ("user",)


@admin.register(PageCount)
class PageCountAdmin(ReadOnlyAdmin):
    list_display = ("day", "path", "count")
    search_fields = ("path",)
    date_hierarchy = "day"


class PolicyPublishForm(forms.ModelForm):
    class Meta:
        model = PolicyVersion
        fields = ("kind", "text_fr", "text_en", "changes_fr", "changes_en")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new version always says what changed: members are shown it.
        for name in ("changes_fr", "changes_en"):
            if name in self.fields:
                self.fields[name].required = True


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ("kind", "version", "published_at")
    list_filter = ("kind",)
    ordering = ("kind", "-version")
    form = PolicyPublishForm
    readonly_fields = ("version", "published_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return PolicyPublishForm.Meta.fields
        return ("kind", "version", "published_at", *PolicyPublishForm.Meta.fields[1:])

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        published = policy_publish(**{name: form.cleaned_data[name] for name in form.Meta.fields})
        # The admin goes on with ``obj`` (log entry, redirect): point it at the new row.
        obj.pk, obj.version, obj.published_at = (
            published.pk,
            published.version,
            published.published_at,
        )
        obj._state.adding = False
        obj._state.db = published._state.db

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("help_texts", {})
        kwargs["help_texts"]["changes_fr"] = _(
            "Montré aux membres connectés jusqu’à ce qu’ils en prennent connaissance."
        )
        return super().get_form(request, obj, change, **kwargs)
