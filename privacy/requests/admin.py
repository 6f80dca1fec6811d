"""Privacy requests in the admin.

The privacy officer (``privacy.triage_privacyrequest``) works the queue:
days left in colour bands, filters, search by reference or exact student
number, and every transition as an admin action or a button on the request,
each calling one service. Member services get a separate, restricted list that
shows only that a request exists and its status.

Why one module past 400 lines: the request page is one screen whose actions,
forms and confirmation pages share the same permission and audit rules. Next split:
the filters and the ACTIONS table into admin_filters.py and admin_actions.py.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.adminkit.audited import StaffAccessAuditMixin
from privacy.adminkit.people import person_link
from privacy.requests import exports, selectors, services
from privacy.requests import forms as request_forms
from privacy.requests.consequences import fulfil_consequences
from privacy.requests.corrections import correction_field_label
from privacy.requests.models import (
    OPEN_STATUSES,
    PrivacyRequest,
    PrivacyRequestStatus,
    RequestKind,
    RequestStatus,
    SupportingDocument,
)

TRIAGE = services.TRIAGE_PERMISSION


def _triage_users():
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
        soon = today + timedelta(days=services.app_settings.DUE_SOON_DAYS)
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
        return [("me", _("Moi")), ("none", _("Personne")), *_assignee_choices()]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value:
            return queryset.filter(assignee_id=value)
        return queryset


def _assignee_choices():
    return [(str(user.pk), user.email) for user in _triage_users().order_by("email")]


class RequestSearchMixin:
    search_fields = ("reference",)
    search_help_text = _("Référence exacte (DPR-…) ou numéro d’étudiant exact.")

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        members = selectors.members_matching(term=term)
        return queryset.filter(Q(reference__iexact=term) | Q(member__in=members)), False


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(StaffAccessAuditMixin, RequestSearchMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "kind",
        "status",
        "days_left_band",
        "due_display",
        "assignee_display",
        "submitted_at",
    )
    list_filter = (StateFilter, "kind", "status", DueFilter, AssigneeFilter)
    list_select_related = ("assignee",)
    actions = [
        "action_assign_to_me",
        "action_start_review",
        "action_approve",
        "action_fulfil",
        "action_close",
        "action_refuse",
        "action_ask_member",
        "action_extend",
        "action_assign",
    ]
    fields = (
        "reference",
        "member_id_display",
        "kind",
        "status",
        "submitted_at",
        "due_display",
        "extension_display",
        "assignee_display",
        "details",
        "decision_display",
        "correction_items_display",
        "document_display",
        "export_display",
        "deletion_plan_display",
        "timeline_display",
        "notes_display",
    )
    readonly_fields = fields

    class Media:
        css = {"all": ["css/admin_privacy_requests.css"]}

    # --- Permissions: read-only model; changes only through services --------

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(TRIAGE)

    def get_queryset(self, request):
        # The date the column shows is the date the queue sorts on: the extended one.
        queryset = self.model._default_manager.get_queryset().annotate(
            effective_due=Coalesce("extended_due_on", "due_on")
        )
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        # Most urgent first: earliest effective deadline, then the oldest request.
        return ("effective_due", "submitted_at")

    def has_module_permission(self, request):
        return request.user.has_perm(TRIAGE)

    def has_triage_permission(self, request):
        return request.user.has_perm(TRIAGE)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Opening a request is audited by StaffAccessAuditMixin (the member sees it).
        if obj is not None:
            context["transitions"] = _available(obj)
            obj._viewer = request.user  # who reads the page: may they follow the member link?
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    # --- Columns -------------------------------------------------------------

    @admin.display(description=_("jours restants"))
    def days_left_band(self, obj):
        band = selectors.due_band(obj)
        if band == "done":
            return format_html('<span class="due-band due-done">{}</span>', "—")
        days = obj.days_left()
        label = (
            ngettext("%(n)d jour de retard", "%(n)d jours de retard", -days) % {"n": -days}
            if days < 0
            else ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}
        )
        return format_html('<span class="due-band due-{}">{}</span>', band, label)

    @admin.display(description=_("échéance"), ordering="effective_due")
    def due_display(self, obj):
        return obj.effective_due_on

    @admin.display(description=_("responsable"))
    def assignee_display(self, obj):
        return obj.assignee.email if obj.assignee else "—"

    @admin.display(description=_("membre"))
    def member_id_display(self, obj):
        # Name and member number, linked to the record (opening it is audited there).
        return person_link(obj.member_id, viewer=getattr(obj, "_viewer", None))

    @admin.display(description=_("prolongation"))
    def extension_display(self, obj):
        if not obj.extended_due_on:
            return "—"
        return format_html("{} → {}<br>{}", obj.due_on, obj.extended_due_on, obj.extension_reason)

    @admin.display(description=_("décision"))
    def decision_display(self, obj):
        if not obj.decided_at:
            return "—"
        return format_html("{}<br>{}", obj.decided_at, obj.decision_reasons or "")

    @admin.display(description=_("rectifications demandées"))
    def correction_items_display(self, obj):
        items = list(obj.correction_items.all())
        if not items:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    correction_field_label(i.model_label, i.field_name),
                    i.current_value,
                    i.proposed_value,
                    i.get_decision_display(),
                    i.decision_reason,
                )
                for i in items
            ),
        )
        return format_html(
            '<table class="request-items"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Renseignement"),
            _("Valeur actuelle"),
            _("Valeur proposée"),
            _("Décision"),
            _("Motifs"),
            rows,
        )

    @admin.display(description=_("pièce justificative"))
    def document_display(self, obj):
        document = getattr(obj, "supporting_document", None)
        if document is None:
            return "—"
        url = reverse("admin:privacy_privacyrequest_document", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a> ({}, {} o)', url, _("Ouvrir"), document.content_type, document.size
        )

    @admin.display(description=_("exportation"))
    def export_display(self, obj):
        archive = getattr(obj, "export", None) if obj.kind == RequestKind.ACCESS else None
        if archive is None:
            return "—"
        url = reverse("admin:privacy_privacyrequest_export", args=[obj.pk])
        state = (
            _("remise le %(date)s") % {"date": archive.released_at}
            if archive.released_at
            else _("brouillon")
        )
        return format_html(
            '<a href="{}">{}</a> — {} — {}',
            url,
            _("Aperçu et retranchements"),
            state,
            _("expire le %(date)s") % {"date": archive.expires_at},
        )

    @admin.display(description=_("plan de suppression"))
    def deletion_plan_display(self, obj):
        plan = obj.deletion_plan or {}
        parts = []
        for stage, title in (("shown", _("Montré au membre")), ("executed", _("Exécuté"))):
            groups = (plan.get(stage) or {}).get("groups", [])
            if not groups:
                continue
            rows = format_html_join(
                "",
                "<li>{} : {} ({}) {}</li>",
                ((g["action"], g["title"], g["count"], g.get("until") or "") for g in groups),
            )
            parts.append(format_html("<p><strong>{}</strong></p><ul>{}</ul>", title, rows))
        return format_html_join("", "{}", ((p,) for p in parts)) or "—"

    @admin.display(description=_("suivi et messages"))
    def timeline_display(self, obj):
        entries = selectors.privacy_request_timeline(privacy_request=obj)
        return format_html(
            '<ol class="request-timeline">{}</ol>',
            format_html_join(
                "",
                "<li><strong>{}</strong> {} {}</li>",
                (
                    (
                        timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
                        e.status_label
                        or (_("Message du membre") if e.from_member else _("Message au membre")),
                        e.body,
                    )
                    for e in entries
                ),
            ),
        )

    @admin.display(description=_("notes internes"))
    def notes_display(self, obj):
        notes = list(obj.notes.select_related("author"))
        if not notes:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{} {}</strong> {}</li>",
                (
                    (
                        timezone.localtime(n.created_at).strftime("%Y-%m-%d %H:%M"),
                        n.author.email if n.author else "",
                        n.body,
                    )
                    for n in notes
                ),
            ),
        )

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
            request.POST if confirmed else None, assignees=_triage_users()
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

    # --- Custom pages ------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<uuid:object_id>/act/<str:action>/",
                wrap(self.act_view),
                name="privacy_privacyrequest_act",
            ),
            path(
                "<uuid:object_id>/corrections/",
                wrap(self.corrections_view),
                name="privacy_privacyrequest_corrections",
            ),
            path(
                "<uuid:object_id>/export/",
                wrap(self.export_view),
                name="privacy_privacyrequest_export",
            ),
            path(
                "<uuid:object_id>/document/",
                wrap(self.document_view),
                name="privacy_privacyrequest_document",
            ),
            *super().get_urls(),
        ]

    def _get(self, request, object_id) -> PrivacyRequest:
        if not request.user.has_perm(TRIAGE):
            raise PermissionDenied
        return get_object_or_404(PrivacyRequest.objects.select_related("member"), pk=object_id)

    def _page(self, request, template, obj, **context):
        return TemplateResponse(
            request,
            f"admin/privacy/privacyrequest/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": obj,
                "title": obj.reference,
                **context,
            },
        )

    def _back(self, obj):
        return HttpResponseRedirect(reverse("admin:privacy_privacyrequest_change", args=[obj.pk]))

    def act_view(self, request: HttpRequest, object_id, action: str) -> HttpResponse:
        obj = self._get(request, object_id)
        if action not in ACTIONS:
            raise PermissionDenied
        spec = ACTIONS[action]
        form_class = spec["form"]
        kwargs = {"assignees": _triage_users()} if action == "assign" else {}
        form = form_class(request.POST if request.method == "POST" else None, **kwargs)
        if request.method == "POST" and form.is_valid():
            try:
                spec["run"](obj, request, form.cleaned_data)
            except services.CorrectionNotApplied as error:
                # Committed: the request is back in review; say which item and why.
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return self._back(obj)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, spec["done"], messages.SUCCESS)
                return self._back(obj)
        consequence = fulfil_consequences(privacy_request=obj) if action == "fulfil" else None
        return self._page(
            request,
            "act.html",
            obj,
            form=form,
            action_label=spec["label"],
            consequence=consequence,
        )

    def corrections_view(self, request: HttpRequest, object_id) -> HttpResponse:
        obj = self._get(request, object_id)
        items = list(obj.correction_items.all())
        prefixed = [
            (
                item,
                request_forms.CorrectionDecisionForm(
                    request.POST if request.method == "POST" else None,
                    prefix=str(item.pk),
                    # Undecided until someone decides: never pre-set to accepted.
                    initial={"decision": item.decision, "reason": item.decision_reason},
                ),
            )
            for item in items
        ]
        errors = []
        if request.method == "POST" and all(form.is_valid() for _item, form in prefixed):
            decisions = {
                str(item.pk): (form.cleaned_data["decision"], form.cleaned_data["reason"])
                for item, form in prefixed
            }
            try:
                services.privacy_request_correction_decide(
                    privacy_request=obj, actor=request.user, decisions=decisions
                )
            except ValidationError as error:
                errors = error.messages
            else:
                self.message_user(request, _("Décisions enregistrées."), messages.SUCCESS)
                return self._back(obj)
        return self._page(
            request,
            "corrections.html",
            obj,
            rows=[
                (item, correction_field_label(item.model_label, item.field_name), form)
                for item, form in prefixed
            ],
            errors=errors,
        )

    def export_view(self, request: HttpRequest, object_id) -> HttpResponse:
        obj = self._get(request, object_id)
        archive = getattr(obj, "export", None)
        if archive is None:
            self.message_user(
                request, _("Aucune exportation pour cette demande."), messages.WARNING
            )
            return self._back(obj)
        data = exports.export_read(archive=archive)
        choices = [
            (
                f"{section['model']}/{row['id']}/{name}",
                f"{section['title']} · {row['id']} · {name} = {value}",
            )
            for section in data["sections"]
            for row in section["rows"]
            for name, value in row["values"].items()
            if value not in (None, "")
        ]
        form = request_forms.SeverForm(
            request.POST if request.method == "POST" else None, choices=choices
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.privacy_request_export_sever(
                    privacy_request=obj,
                    actor=request.user,
                    paths=form.cleaned_data["paths"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("Renseignements retranchés."), messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        elif request.method == "GET":
            self.audit_view(request, obj, part="export")
        return self._page(
            request,
            "export.html",
            obj,
            data=data,
            archive=archive,
            form=form,
            editable=archive.released_at is None and obj.status == RequestStatus.APPROVED,
        )

    def document_view(self, request: HttpRequest, object_id) -> HttpResponse:
        obj = self._get(request, object_id)
        document = get_object_or_404(SupportingDocument, request=obj)
        self.audit_view(request, obj, part="document")
        response = HttpResponse(bytes(document.content), content_type=document.content_type)
        response["Content-Disposition"] = f'attachment; filename="{obj.reference}-document"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class CloseReasonsForm(request_forms.ReasonsForm):
    """The same reasons field, worded for a request closed without a decision."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].label = _("Motifs de la fermeture")
        self.fields["reasons"].help_text = _(
            "Obligatoires (demande retirée par le membre, en double…). Le membre les reçoit."
        )


class ReopenReasonsForm(request_forms.ReasonsForm):
    """Reasons for reopening: kept in the internal notes with the earlier decision."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].label = _("Motifs de la réouverture")
        self.fields["reasons"].help_text = _(
            "Obligatoires (refus ou fermeture par erreur, décision infirmée…). Ils sont "
            "consignés en note interne ; le membre est avisé que sa demande est de nouveau "
            "en traitement."
        )


def _transition(service):
    def run(obj, request, data):
        service(privacy_request=obj, actor=request.user, http_request=request)

    return run


ACTIONS = {
    "assign_me": {
        "label": _("Me confier la demande"),
        "form": request_forms.ConfirmForm,
        "run": lambda obj, request, data: services.privacy_request_assign(
            privacy_request=obj, assignee=request.user, actor=request.user
        ),
        "done": _("Demande confiée à vous."),
    },
    "assign": {
        "label": _("Confier à un ou une collègue"),
        "form": request_forms.AssignForm,
        "run": lambda obj, request, data: services.privacy_request_assign(
            privacy_request=obj, assignee=data["assignee"], actor=request.user
        ),
        "done": _("Responsable modifié."),
    },
    "start_review": {
        "label": _("Commencer le traitement"),
        "form": request_forms.ConfirmForm,
        "run": _transition(services.privacy_request_start_review),
        "done": _("Demande en traitement."),
    },
    "ask_member": {
        "label": _("Demander une précision au membre"),
        "form": request_forms.MessageForm,
        "run": lambda obj, request, data: services.privacy_request_ask_member(
            privacy_request=obj, actor=request.user, message=data["body"], http_request=request
        ),
        "done": _("Question envoyée; la demande attend la réponse du membre."),
    },
    "approve": {
        "label": _("Accepter"),
        "form": request_forms.ConfirmForm,
        "run": _transition(services.privacy_request_approve),
        "done": _("Demande acceptée."),
    },
    "refuse": {
        "label": _("Refuser, avec motifs"),
        "form": request_forms.ReasonsForm,
        "run": lambda obj, request, data: services.privacy_request_refuse(
            privacy_request=obj, actor=request.user, reasons=data["reasons"], http_request=request
        ),
        "done": _("Demande refusée; le membre est avisé de ses motifs et de son recours."),
    },
    "extend": {
        "label": _("Prolonger le délai"),
        "form": request_forms.ExtendForm,
        "run": lambda obj, request, data: services.privacy_request_extend(
            privacy_request=obj,
            actor=request.user,
            days=data["days"],
            reason=data["reason"],
            http_request=request,
        ),
        "done": _("Délai prolongé; le membre en est avisé."),
    },
    "rebuild_export": {
        "label": _("Préparer de nouveau l’exportation"),
        "form": request_forms.ConfirmForm,
        "run": lambda obj, request, data: services.privacy_request_export_rebuild(
            privacy_request=obj, actor=request.user
        ),
        "done": _("Exportation préparée."),
    },
    "return_to_review": {
        "label": _("Revenir au traitement (décider de nouveau)"),
        "form": request_forms.ConfirmForm,
        "run": _transition(services.privacy_request_return_to_review),
        "done": _("Demande revenue en traitement; ses décisions peuvent être modifiées."),
    },
    "close_with_reasons": {
        "label": _("Fermer sans décision, avec motifs"),
        "form": CloseReasonsForm,
        "run": lambda obj, request, data: services.privacy_request_close_with_reasons(
            privacy_request=obj, actor=request.user, reasons=data["reasons"], http_request=request
        ),
        "done": _("Demande fermée; le membre reçoit les motifs."),
    },
    "fulfil": {
        "label": _("Exécuter (remettre, rectifier ou supprimer)"),
        "form": request_forms.ConfirmForm,
        "run": _transition(services.privacy_request_fulfil),
        "done": _("Demande exécutée."),
    },
    "close": {
        "label": _("Fermer"),
        "form": request_forms.ConfirmForm,
        "run": _transition(services.privacy_request_close),
        "done": _("Demande fermée."),
    },
    "message": {
        "label": _("Écrire au membre"),
        "form": request_forms.MessageForm,
        "run": lambda obj, request, data: services.privacy_request_message_send(
            privacy_request=obj, actor=request.user, body=data["body"]
        ),
        "done": _("Message envoyé."),
    },
    "note": {
        "label": _("Ajouter une note interne"),
        "form": request_forms.NoteForm,
        "run": lambda obj, request, data: services.privacy_request_note_add(
            privacy_request=obj, actor=request.user, body=data["body"]
        ),
        "done": _("Note ajoutée."),
    },
}

# Reopening a refused or closed request (staff workspace).
ACTIONS["reopen"] = {
    "label": _("Rouvrir la demande (décider de nouveau)"),
    "form": ReopenReasonsForm,
    "run": lambda obj, request, data: services.privacy_request_reopen(
        privacy_request=obj, actor=request.user, reasons=data["reasons"], http_request=request
    ),
    "done": _("Demande rouverte et de nouveau en traitement."),
}


def _available(obj: PrivacyRequest | None) -> list[dict]:
    """The buttons shown on a request: what its status allows, and what is always possible."""
    if obj is None:
        return []
    names = ["assign_me", "assign"]
    names += [
        name for name, (allowed, _to) in services.TRANSITIONS.items() if obj.status in allowed
    ]
    if obj.is_pending and obj.extended_due_on is None:
        names.append("extend")
    if obj.kind == RequestKind.ACCESS and obj.status == RequestStatus.APPROVED:
        names.append("rebuild_export")
    if obj.status != RequestStatus.CLOSED:
        names.append("message")
    names.append("note")
    links = [
        {
            "label": ACTIONS[name]["label"],
            "url": reverse("admin:privacy_privacyrequest_act", args=[obj.pk, name]),
        }
        for name in names
    ]
    if obj.kind == RequestKind.CORRECTION and obj.status in (
        RequestStatus.IN_REVIEW,
        RequestStatus.WAITING_MEMBER,
    ):
        links.insert(
            0,
            {
                "label": _("Décider les rectifications"),
                "url": reverse("admin:privacy_privacyrequest_corrections", args=[obj.pk]),
            },
        )
    return links


@admin.register(PrivacyRequestStatus)
class PrivacyRequestStatusAdmin(RequestSearchMixin, admin.ModelAdmin):
    """Member services: that a request exists and where it stands; nothing of its content."""

    list_display = ("reference", "kind", "status", "submitted_at", "due_display")
    list_filter = ("kind", "status")
    fields = ("reference", "kind", "status", "submitted_at", "due_display")
    readonly_fields = fields
    actions = None

    @admin.display(description=_("échéance"))
    def due_display(self, obj):
        return obj.effective_due_on

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
