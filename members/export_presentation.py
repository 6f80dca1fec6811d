"""How members/ rows read in the readable access export (export.html)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from privacy.requests.api import ExportPresentation, export_presentation_register


def _changed_fields(event, _value) -> str:
    from .selectors import _field_labels

    labels = _field_labels()
    names = event.changed_field_names
    return ", ".join(str(labels.get(name, name)) for name in names) if names else "—"


def register() -> None:
    export_presentation_register(
        "members.User",
        ExportPresentation(
            position=1,
            title=lambda: _("Votre compte"),
            labels={"email": lambda: _("Adresse courriel de connexion")},
        ),
    )
    export_presentation_register(
        "account.EmailAddress",
        ExportPresentation(
            position=2,
            title=lambda: _("Vos adresses courriel"),
            labels={
                "email": lambda: _("Adresse courriel"),
                "verified": lambda: _("Adresse vérifiée"),
                "primary": lambda: _("Adresse principale"),
            },
        ),
    )
    export_presentation_register(
        "usersessions.UserSession",
        ExportPresentation(
            position=32,
            title=lambda: _("Vos sessions"),
            labels={
                "ip": lambda: _("Réseau (adresse tronquée)"),
                "user_agent": lambda: _("Navigateur"),
                "created_at": lambda: _("Ouverte le"),
                "last_seen_at": lambda: _("Dernière activité"),
            },
        ),
    )
    export_presentation_register(
        "members.Member",
        ExportPresentation(
            position=10,
            title=lambda: _("Votre dossier de membre"),
            kept=lambda: _(
                "Tant que vous êtes membre du régime, et aussi longtemps que le contrat avec "
                "l’assureur l’exige."
            ),
            labels={"association": lambda: _("Association étudiante")},
        ),
    )
    export_presentation_register(
        "members.Dependant",
        ExportPresentation(
            position=11,
            title=lambda: _("Vos personnes à charge"),
            row_title=lambda dependant: dependant.full_name,
            row_order=lambda dependant: dependant.suffix,
            labels={
                "relationship": lambda: _("Lien avec vous"),
                "suffix": lambda: _("Suffixe du numéro de membre"),
            },
            values={"suffix": lambda dependant, value: f"-{int(value):02d}" if value else "—"},
        ),
    )
    export_presentation_register(
        "members.ActivityEvent",
        ExportPresentation(
            position=30,
            title=lambda: _("Votre activité récente"),
            labels={"kind": lambda: _("Événement")},
            values={"changed_fields": _changed_fields},
        ),
    )
    export_presentation_register(
        "members.MemberLocation",
        ExportPresentation(position=31, title=lambda: _("Votre secteur approximatif")),
    )
