"""How a member's own record and their dependants read in a correction request.

Only what the insurer's record holds and the member cannot change themselves:
contact details are changed directly in the profile, so they are not offered.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from privacy.requests.api import (
    CHOICE,
    DATE,
    GROUP_CONTACT,
    GROUP_IDENTITY,
    ME,
    TEXT,
    Topic,
    TopicField,
)

from .models import Dependant, Member


def _member_topics(member: Member) -> list[Topic]:
    me = _("Vous (%(name)s)") % {"name": member.full_name}
    return [
        Topic(
            person_key=ME,
            person_label=me,
            group=GROUP_IDENTITY,
            label=_("Votre identité : nom, date de naissance, numéro d’étudiant"),
            model_label=Member._meta.label,
            object_id=str(member.pk),
            fields=(
                TopicField("first_name", _("Prénom"), TEXT, member.first_name),
                TopicField("last_name", _("Nom de famille"), TEXT, member.last_name),
                TopicField("date_of_birth", _("Date de naissance"), DATE, member.date_of_birth),
                TopicField("student_number", _("Numéro d’étudiant"), TEXT, member.student_number),
            ),
        ),
        Topic(
            person_key=ME,
            person_label=me,
            group=GROUP_CONTACT,
            label=_("Vos coordonnées : adresse, téléphone, courriel"),
            model_label=Member._meta.label,
            object_id=str(member.pk),
            hint=reverse("members_profile"),
        ),
    ]


def _dependant_topic(dependant: Dependant) -> Topic:
    return Topic(
        person_key=str(dependant.pk),
        person_label=dependant.full_name,
        group=GROUP_IDENTITY,
        label=_("Identité de %(name)s : nom, date de naissance, lien avec vous")
        % {"name": dependant.full_name},
        model_label=Dependant._meta.label,
        object_id=str(dependant.pk),
        fields=(
            TopicField("first_name", _("Prénom"), TEXT, dependant.first_name),
            TopicField("last_name", _("Nom de famille"), TEXT, dependant.last_name),
            TopicField("date_of_birth", _("Date de naissance"), DATE, dependant.date_of_birth),
            TopicField(
                "relationship",
                _("Lien avec vous"),
                CHOICE,
                dependant.relationship,
                choices=tuple((str(k), str(v)) for k, v in Dependant.Relationship.choices),
            ),
        ),
    )


def correction_topics(*, user) -> list[Topic]:
    member = Member.objects.filter(user=user).first() if user.is_authenticated else None
    if member is None:
        return []
    dependants = Dependant.objects.filter(member=member).order_by("suffix")
    return _member_topics(member) + [_dependant_topic(d) for d in dependants]
