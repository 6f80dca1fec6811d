from datetime import timedelta

from privacy.datamap.api import Action, Category, PersonalField, Purpose, Retention, declare

from .models import Dossier, DossierNote, Enquiry, PageCount, StampNote, Visit

declare(
    Visit,
    subject="account",
    personal=[
        PersonalField("account", Category.IDENTITY, (Purpose.SECURITY,)),
        PersonalField("visited_at", Category.ACTIVITY, (Purpose.SECURITY,)),
        PersonalField("page", Category.ACTIVITY, (Purpose.SECURITY,)),
    ],
    not_personal=["id"],
    retention=Retention(starts_from="visited_at", keep_for=timedelta(days=30)),
)
declare(
    Enquiry,
    subject="account",
    personal=[
        PersonalField("account", Category.IDENTITY, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField("name", Category.IDENTITY, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField("phone", Category.CONTACT, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField("body", Category.CORRESPONDENCE, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField("email", Category.CONTACT, (Purpose.PERSONALISED_SERVICE,)),
    ],
    not_personal=["id", "closed_on", "topic", "email_index"],
    retention=Retention(
        starts_from="closed_on",
        keep_for=timedelta(days=365),
        action=Action.ANONYMISE,
        anonymise_fields=("name", "phone", "body", "email"),
        reason="Statistiques des sujets de demandes",
    ),
)
declare(
    Dossier,
    subject="account",
    personal=[
        PersonalField("account", Category.IDENTITY, (Purpose.LEGAL,)),
        PersonalField("title", Category.CORRESPONDENCE, (Purpose.LEGAL,)),
    ],
    not_personal=["id", "closed_at"],
    retention=Retention(starts_from="closed_at", keep_for=timedelta(days=90)),
)
declare(
    DossierNote,
    subject="dossier__account",
    personal=[PersonalField("text", Category.CORRESPONDENCE, (Purpose.LEGAL,))],
    not_personal=["id", "dossier", "written_at"],
    retention=Retention(starts_from="written_at", keep_for=timedelta(days=5 * 365)),
)
declare(
    PageCount,
    subject=None,
    personal=[PersonalField("path", Category.ACTIVITY, (Purpose.IMPROVE_SERVICES,))],
    not_personal=["id", "day", "views"],
    retention=Retention(starts_from="day", keep_for=timedelta(days=7)),
)
declare(
    StampNote,
    subject="stamp__dossier__account",
    personal=[PersonalField("text", Category.CORRESPONDENCE, (Purpose.LEGAL,))],
    not_personal=["id", "stamp", "written_at"],
    retention=Retention(starts_from="written_at", keep_for=timedelta(days=5 * 365)),
)
