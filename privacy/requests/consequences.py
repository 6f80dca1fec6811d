"""What carrying out a request will do, in words, for the confirmation page.

An action that destroys or sends data is confirmed on a page that lists,
request by request, exactly what will happen and to whom (the reference
names the member's case): never by a single click on a list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from privacy.requests import deletion
from privacy.requests.corrections import correction_field_label
from privacy.requests.models import (
    CorrectionDecision,
    ExportArchive,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
)


@dataclass(frozen=True)
class Consequence:
    privacy_request: PrivacyRequest
    lines: tuple[str, ...]
    # False: the request cannot be carried out as it stands (the line says why).
    possible: bool = True


def fulfil_consequences(*, privacy_request: PrivacyRequest) -> Consequence:
    """What "carry out" will do to this request's member, line by line."""
    if privacy_request.status != RequestStatus.APPROVED:
        return Consequence(
            privacy_request,
            (
                _("Rien : la demande est « %(status)s », elle doit d’abord être acceptée.")
                % {"status": privacy_request.get_status_display()},
            ),
            possible=False,
        )
    if privacy_request.kind == RequestKind.ACCESS:
        archive = ExportArchive.objects.filter(request=privacy_request).first()
        if archive is None or archive.is_expired():
            return Consequence(
                privacy_request,
                (_("Rien : l’exportation doit d’abord être préparée de nouveau."),),
                possible=False,
            )
        return Consequence(
            privacy_request,
            (
                _(
                    "L’exportation (%(size)s Ko) devient téléchargeable par le membre, "
                    "qui en est avisé par courriel."
                )
                % {"size": max(1, archive.size // 1024)},
            ),
        )
    if privacy_request.kind == RequestKind.CORRECTION:
        lines = []
        for item in privacy_request.correction_items.all():
            label = correction_field_label(item.model_label, item.field_name)
            if item.decision == CorrectionDecision.APPROVED:
                lines.append(
                    _("« %(field)s » est remplacé par la valeur proposée.") % {"field": label}
                )
            elif item.decision == CorrectionDecision.REFUSED:
                lines.append(
                    _("« %(field)s » reste inchangé (refus, avec recours).") % {"field": label}
                )
        lines.append(_("Le membre reçoit la réponse par courriel."))
        return Consequence(privacy_request, tuple(lines))
    plan = deletion.deletion_plan(user=privacy_request.member, privacy_request=privacy_request)
    lines = [
        ngettext(
            "%(title)s : %(count)d fiche effacée.",
            "%(title)s : %(count)d fiches effacées.",
            group.count,
        )
        % {"title": group.title, "count": group.count}
        for group in plan.erased
    ]
    lines += [
        ngettext(
            "%(title)s : %(count)d fiche anonymisée.",
            "%(title)s : %(count)d fiches anonymisées.",
            group.count,
        )
        % {"title": group.title, "count": group.count}
        for group in plan.anonymised
    ]
    lines += [
        ngettext(
            "%(title)s : %(count)d fiche conservée (%(reason)s).",
            "%(title)s : %(count)d fiches conservées (%(reason)s).",
            group.count,
        )
        % {"title": group.title, "count": group.count, "reason": group.reason}
        for group in plan.kept
    ]
    lines.append(_("Le compte est fermé : le membre ne peut plus se connecter."))
    return Consequence(privacy_request, tuple(lines))
