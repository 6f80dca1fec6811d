"""The plan's rules for dependants, worded so a member understands them.

Pure functions: the form calls them to explain, the service calls them again
under a lock to enforce (and the database keeps the spouse and suffix
invariants on its own).
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.fields import normalise_name

from .app_settings import app_settings
from .models import Dependant, Member
from .models.records import age_on

MESSAGES = {
    "future_birth_date": _("La date de naissance ne peut pas être dans le futur."),
    "child_too_old": _(
        "Un enfant à charge doit avoir moins de %(max_age)s ans selon les règles du régime."
    ),
    "duplicate_person": _(
        "Cette personne figure déjà à votre dossier (même nom et même date de naissance)."
    ),
    "second_spouse": _(
        "Vous avez déjà un conjoint ou une conjointe à votre dossier. Retirez cette personne "
        "avant d’en ajouter une autre."
    ),
    "no_suffix_left": _(
        "Le régime ne prévoit pas d’autre numéro de personne à charge. Communiquez avec nous."
    ),
    "adult_read_only": _(
        "Les renseignements d’une personne à charge majeure lui appartiennent : vous ne pouvez "
        "pas les modifier ici. Demandez une correction."
    ),
}


def normalised_name(first_name: str, last_name: str) -> str:
    """Case, accents, hyphens and spacing ignored (the blind index's own name rule).

    "Éloïse-Marie  Tremblay" and "eloise marie tremblay" are the same person's name.
    """
    return normalise_name(f"{first_name} {last_name}")


def dependants_full(count: int) -> ValidationError | None:
    """The refusal to add one more when ``count`` already reach the plan's maximum."""
    max_count = app_settings.MAX_DEPENDANTS
    if count < max_count:
        return None
    message = ngettext(
        "Le régime permet au plus %(max_count)s personne à charge à un même dossier. "
        "Communiquez avec nous s’il faut en inscrire d’autres.",
        "Le régime permet au plus %(max_count)s personnes à charge à un même dossier. "
        "Communiquez avec nous s’il faut en inscrire d’autres.",
        max_count,
    )
    return ValidationError(message, code="too_many_dependants", params={"max_count": max_count})


def is_adult(date_of_birth: date, today: date) -> bool:
    return age_on(date_of_birth, today) >= app_settings.ADULT_AGE


def dependant_check(
    *,
    member: Member,
    relationship: str,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    others: Iterable[Dependant],
    today: date,
) -> None:
    """Raise a ValidationError naming each broken rule; ``others`` excludes the one edited."""
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, code: str, **params) -> None:
        error = ValidationError(MESSAGES[code], code=code, params=params or None)
        errors.setdefault(field, []).append(error)

    if date_of_birth > today:
        add("date_of_birth", "future_birth_date")
    elif (
        relationship == Dependant.Relationship.CHILD
        and age_on(date_of_birth, today) >= app_settings.CHILD_MAX_AGE
    ):
        add("date_of_birth", "child_too_old", max_age=app_settings.CHILD_MAX_AGE)

    others = list(others)
    if relationship == Dependant.Relationship.SPOUSE and any(
        other.relationship == Dependant.Relationship.SPOUSE for other in others
    ):
        add("relationship", "second_spouse")

    person = (normalised_name(first_name, last_name), date_of_birth)
    people = [(normalised_name(o.first_name, o.last_name), o.date_of_birth) for o in others]
    people.append((normalised_name(member.first_name, member.last_name), member.date_of_birth))
    if person in people:
        add("__all__", "duplicate_person")

    if errors:
        raise ValidationError(errors)
