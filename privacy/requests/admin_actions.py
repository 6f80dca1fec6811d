"""The buttons a request offers in the admin, and what each one runs.

``ACTIONS`` names every button: its label, its form, the one service it calls and
what it says when done. ``available_actions`` picks those the request's status
allows (the lifecycle's TRANSITIONS), plus what is always possible.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from privacy.requests import forms as request_forms
from privacy.requests import services
from privacy.requests.models import (
    PrivacyRequest,
    RequestKind,
    RequestStatus,
)


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


def available_actions(obj: PrivacyRequest | None) -> list[dict]:
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
