"""The request queue in the admin: filters, search, and actions on selected requests.

Bulk actions without input call one service per request; actions that need input
(reasons, a date, a colleague) take one request at a time to its own page.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.requests import forms as request_forms
from privacy.requests import selectors, services
from privacy.requests.app_settings import app_settings
from privacy.requests.consequences import fulfil_consequences
from privacy.requests.models import (
    OPEN_STATUSES,
    RequestStatus,
)

TRIAGE = services.TRIAGE_PERMISSION


def triage_users():
    """Active staff who may be given a request (the privacy officer role)."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    return users.filter(
        Q(is_superuser=True)
        | Q(groups__permissions__codename="triage_privacyrequest")
        | Q(user_permissions__codename="triage_privacyrequest")
    ).distinct()


class DueFilter(admin.SimpleListFilter):
    title = _("échéance")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("En retard")),
            ("soon", _("Dans les 7 prochains jours")),
            ("later", _("Plus tard")),
            ("extended", _("Délai prolongé")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        soon = today + timedelta(days=app_settings.DUE_SOON_DAYS)
        value = self.value()
        if value == "overdue":
            return queryset.filter(pk__in=selectors.privacy_requests_overdue(today=today))
        if value == "soon":
            due = selectors.privacy_requests_due_between(start=today, end=soon)
            return queryset.filter(pk__in=due)
        if value == "later":
            due = selectors.privacy_requests_due_between(start=soon + timedelta(days=1), end=None)
            return queryset.filter(pk__in=due)
        if value == "extended":
            return queryset.filter(extended_due_on__isnull=False)
        return queryset


class StateFilter(admin.SimpleListFilter):
    """The queue opens on requests still waiting for their answer; the rest on demand."""

    title = _("état")
    parameter_name = "state"
    DEFAULT = "open"

    def lookups(self, request, model_admin):
        return [
            ("open", _("En attente de réponse")),
            ("answered", _("Répondues, à fermer")),
            ("closed", _("Fermées")),
            ("all", _("Toutes")),
        ]

    def value(self):
        return super().value() or self.DEFAULT

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "answered":
            return queryset.filter(status__in=[RequestStatus.FULFILLED, RequestStatus.REFUSED])
        if value == "closed":
            return queryset.filter(status=RequestStatus.CLOSED)
        return queryset


class AssigneeFilter(admin.SimpleListFilter):
    title = _("responsable")
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        return [("me", _("Moi")), ("none", _("Personne")), *assignee_choices()]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value:
            return queryset.filter(assignee_id=value)
        return queryset


def assignee_choices():
    return [(str(user.pk), user.email) for user in triage_users().order_by("email")]


class RequestSearchMixin:
    search_fields = ("reference",)
    search_help_text = _("Référence exacte (DPR-…) ou numéro d’étudiant exact.")

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        accounts = selectors.accounts_matching(term=term)
        return queryset.filter(Q(reference__iexact=term) | Q(member__in=accounts)), False


class RequestBulkActionsMixin:
    """The changelist's actions on PrivacyRequestAdmin."""

    # --- Bulk actions (no input): each calls one service per request ---------

    def _bulk(self, request, queryset, service, done_message):
        done = 0
        for privacy_request in queryset:
            try:
                service(privacy_request=privacy_request, actor=request.user, http_request=request)
            except ValidationError as error:
                self.message_user(
                    request,
                    f"{privacy_request.reference} : {' '.join(error.messages)}",
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Me confier ces demandes"), permissions=["triage"])
    def action_assign_to_me(self, request, queryset):
        for privacy_request in queryset:
            services.privacy_request_assign(
                privacy_request=privacy_request, assignee=request.user, actor=request.user
            )
        self.message_user(request, _("Demandes confiées à vous."), messages.SUCCESS)

    @admin.action(description=_("Commencer le traitement"), permissions=["triage"])
    def action_start_review(self, request, queryset):
        self._bulk(
            request,
            queryset,
            services.privacy_request_start_review,
            lambda n: ngettext("%d demande en traitement.", "%d demandes en traitement.", n) % n,
        )

    @admin.action(description=_("Accepter"), permissions=["triage"])
    def action_approve(self, request, queryset):
        self._bulk(
            request,
            queryset,
            services.privacy_request_approve,
            lambda n: ngettext("%d demande acceptée.", "%d demandes acceptées.", n) % n,
        )

    @admin.action(
        description=_("Exécuter (remettre, rectifier ou supprimer)…"), permissions=["triage"]
    )
    def action_fulfil(self, request, queryset):
        """Destroys or sends data: first a page saying what happens to whom, then confirm."""
        planned = [fulfil_consequences(privacy_request=r) for r in queryset.order_by("reference")]
        if request.POST.get("confirmed") == "yes":
            self._bulk(
                request,
                queryset.filter(pk__in=[c.privacy_request.pk for c in planned if c.possible]),
                services.privacy_request_fulfil,
                lambda n: ngettext("%d demande exécutée.", "%d demandes exécutées.", n) % n,
            )
            return None
        return TemplateResponse(
            request,
            "admin/privacy/privacyrequest/fulfil_confirm.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Exécuter ces demandes ?"),
                "planned": planned,
                "possible": [c for c in planned if c.possible],
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Fermer"), permissions=["triage"])
    def action_close(self, request, queryset):
        self._bulk(
            request,
            queryset,
            services.privacy_request_close,
            lambda n: ngettext("%d demande fermée.", "%d demandes fermées.", n) % n,
        )

    # --- Actions needing input: one request at a time, on its own page --------

    def _one(self, request, queryset, action):
        if queryset.count() != 1:
            self.message_user(
                request, _("Choisissez une seule demande pour cette action."), messages.WARNING
            )
            return None
        return HttpResponseRedirect(
            reverse("admin:privacy_privacyrequest_act", args=[queryset.get().pk, action])
        )

    @admin.action(description=_("Refuser, avec motifs"), permissions=["triage"])
    def action_refuse(self, request, queryset):
        return self._one(request, queryset, "refuse")

    @admin.action(description=_("Demander une précision au membre"), permissions=["triage"])
    def action_ask_member(self, request, queryset):
        return self._one(request, queryset, "ask_member")

    @admin.action(description=_("Prolonger le délai"), permissions=["triage"])
    def action_extend(self, request, queryset):
        return self._one(request, queryset, "extend")

    @admin.action(description=_("Confier à un ou une collègue"), permissions=["triage"])
    def action_assign(self, request, queryset):
        if queryset.count() == 1:
            return self._one(request, queryset, "assign")
        return self._assign_many(request, queryset)

    def _assign_many(self, request, queryset):
        """Several requests to one colleague: choose, then one audited change per request."""
        requests = list(queryset.order_by("reference"))
        confirmed = request.POST.get("confirmed") == "yes"
        form = request_forms.AssignForm(
            request.POST if confirmed else None, assignees=triage_users()
        )
        if confirmed and form.is_valid():
            try:
                count = services.privacy_requests_assign(
                    privacy_requests=requests,
                    assignee=form.cleaned_data["assignee"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    ngettext("%d demande confiée.", "%d demandes confiées.", count) % count,
                    messages.SUCCESS,
                )
                return None
        return TemplateResponse(
            request,
            "admin/privacy/privacyrequest/assign_many.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Confier ces demandes"),
                "requests": requests,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
