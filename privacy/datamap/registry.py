"""The data map: one declaration per model holding personal data.

Each app declares, next to its models (``<app>/personal_data.py``, imported
from ``AppConfig.ready()``), every model that holds personal data: how a row
reaches the account it is about, which fields are personal (category and
purposes), which fields are explicitly not personal, and how long rows are
kept. ``privacy`` derives the access export, the deletion plan, the retention
purge and the inventory from these declarations; it imports no other app.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import cast

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Category(StrEnum):
    IDENTITY = "identity"
    CONTACT = "contact"
    HEALTH = "health"
    FINANCIAL = "financial"
    LOCATION = "location"
    ACTIVITY = "activity"
    CONSENT = "consent"
    DOCUMENT = "document"
    CORRESPONDENCE = "correspondence"


CATEGORY_LABELS = {
    Category.IDENTITY: _("Identité"),
    Category.CONTACT: _("Coordonnées"),
    Category.HEALTH: _("Santé et couverture"),
    Category.FINANCIAL: _("Finances"),
    Category.LOCATION: _("Localisation"),
    Category.ACTIVITY: _("Activité"),
    Category.CONSENT: _("Consentements"),
    Category.DOCUMENT: _("Documents"),
    Category.CORRESPONDENCE: _("Correspondance"),
}


class Purpose(StrEnum):
    """The purposes the privacy policy names (P11), plus security."""

    IDENTIFY_AND_COMMUNICATE = "identify_and_communicate"
    PERSONALISED_SERVICE = "personalised_service"
    IMPROVE_SERVICES = "improve_services"
    UPDATES = "updates"
    ENROLMENT = "enrolment"
    PROOF_OF_COVERAGE = "proof_of_coverage"
    LEGAL = "legal"
    SECURITY = "security"


PURPOSE_LABELS = {
    Purpose.IDENTIFY_AND_COMMUNICATE: _("Vous identifier et communiquer avec vous"),
    Purpose.PERSONALISED_SERVICE: _("Répondre à vos questions, services personnalisés"),
    Purpose.IMPROVE_SERVICES: _("Améliorer nos services"),
    Purpose.UPDATES: _("Vous informer des mises à jour"),
    Purpose.ENROLMENT: _("Inscription ou retrait"),
    Purpose.PROOF_OF_COVERAGE: _("Vérifier votre preuve de couverture"),
    Purpose.LEGAL: _("Usages prescrits par la loi"),
    Purpose.SECURITY: _("Sécurité du service"),
}


class Action(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"


@dataclass(frozen=True)
class PersonalField:
    name: str
    category: Category
    purposes: tuple[Purpose, ...]
    # Why a personal value may stay in clear (documented exception), if it does.
    clear_text_reason: str | Promise | None = None


@dataclass(frozen=True)
class Retention:
    """Rows are kept ``keep_for`` after the date in ``starts_from``, then acted on.

    ``setting`` names an optional override in ``settings.PRIVACY_RETENTION``.
    """

    starts_from: str
    keep_for: timedelta
    action: Action = Action.DELETE
    anonymise_fields: tuple[str, ...] = ()
    reason: str | Promise = ""
    # Other dates that must also be past the window (or empty): "not used since".
    also_elapsed: tuple[str, ...] = ()
    # Only rows matching this condition are in scope (e.g. accounts with no record).
    only_if: Q | None = None
    # Declared models whose rows are this row's own and go with it (labels).
    takes_with: tuple[str, ...] = ()
    # Deleting a row closes its subject's account at once: no sign-in to an empty shell.
    closes_account: bool = False
    # Whether a deletion request keeps these rows until the window ends (a legal
    # obligation). None: when a personal field serves a legal purpose.
    survives_deletion: bool | None = None


@dataclass(frozen=True)
class Declaration:
    model: type[models.Model]
    # ORM path from this model to the account (AUTH_USER_MODEL) it is about;
    # "" when the model is the account itself; None when rows reach no account.
    subject: str | None
    personal: tuple[PersonalField, ...]
    not_personal: tuple[str, ...]
    retention: Retention | None = None
    # Whether a legal hold on the subject keeps rows past their window.
    holdable: bool = True
    # Whether the access export includes these rows (False for secrets).
    exported: bool = True
    description: str | Promise = ""
    notes: str | Promise = ""
    # Field names of the personal fields that are encrypted (filled by declare).
    encrypted: frozenset[str] = field(default_factory=frozenset)

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def personal_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.personal)

    def personal_field(self, name: str) -> PersonalField:
        return next(f for f in self.personal if f.name == name)


class DataMapError(Exception):
    pass


_registry: dict[str, Declaration] = {}


def declare(
    model: type[models.Model],
    *,
    subject: str | None,
    personal: Iterable[PersonalField],
    not_personal: Iterable[str] = (),
    retention: Retention | None = None,
    holdable: bool = True,
    exported: bool = True,
    description: str | Promise = "",
    notes: str | Promise = "",
) -> Declaration:
    """Declare a model's personal data. A field may not be both, nor unknown."""
    personal = tuple(personal)
    not_personal = tuple(not_personal)
    names = {f.name for f in model._meta.concrete_fields}
    declared = [f.name for f in personal] + list(not_personal)
    unknown = set(declared) - names
    if unknown:
        raise DataMapError(f"{model._meta.label}: no such fields {sorted(unknown)}")
    both = {f.name for f in personal} & set(not_personal)
    if both:
        raise DataMapError(f"{model._meta.label}: declared personal and not: {sorted(both)}")
    encrypted = frozenset(
        f.name for f in personal if getattr(model._meta.get_field(f.name), "encrypted", False)
    )
    declaration = Declaration(
        model=model,
        subject=subject,
        personal=personal,
        not_personal=not_personal,
        retention=retention,
        holdable=holdable,
        exported=exported,
        description=description,
        notes=notes,
        encrypted=encrypted,
    )
    _registry[model._meta.label] = declaration
    return declaration


def declarations() -> Iterator[Declaration]:
    return iter(sorted(_registry.values(), key=lambda d: d.label))


def declaration_for(model: type[models.Model] | str) -> Declaration | None:
    label = model if isinstance(model, str) else model._meta.label
    return _registry.get(label)


def undeclared_fields(app_labels: Iterable[str]) -> list[str]:
    """``app.Model.field`` for every concrete field no declaration accounts for.

    A model with no declaration at all counts as entirely undeclared.
    """
    from django.apps import apps

    missing: list[str] = []
    for app_label in app_labels:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.abstract or model._meta.proxy:
                continue
            declaration = declaration_for(model)
            known = (
                set(declaration.personal_names) | set(declaration.not_personal)
                if declaration
                else set()
            )
            missing.extend(
                f"{model._meta.label}.{f.name}"
                for f in model._meta.concrete_fields
                if f.name not in known
            )
    return missing


# --- Inventory (read by the privacy officer in admin) --------------------------


@dataclass(frozen=True)
class InventoryField:
    name: str
    label: str
    category: str
    purposes: tuple[str, ...]
    encrypted: bool
    clear_text_reason: str


@dataclass(frozen=True)
class InventoryModel:
    label: str
    name: str
    description: str
    subject: str | None
    fields: tuple[InventoryField, ...]
    not_personal: tuple[str, ...]
    retention: Retention | None
    holdable: bool
    exported: bool
    notes: str


def _field_label(model: type[models.Model], name: str) -> str:
    return str(cast(models.Field, model._meta.get_field(name)).verbose_name)


def datamap_inventory() -> list[InventoryModel]:
    """Every declaration, field by field, with labels in the active language."""
    return [
        InventoryModel(
            label=declaration.label,
            name=str(declaration.model._meta.verbose_name),
            description=str(declaration.description),
            subject=declaration.subject,
            fields=tuple(
                InventoryField(
                    name=personal.name,
                    label=_field_label(declaration.model, personal.name),
                    category=str(CATEGORY_LABELS[personal.category]),
                    purposes=tuple(str(PURPOSE_LABELS[p]) for p in personal.purposes),
                    encrypted=personal.name in declaration.encrypted,
                    clear_text_reason=str(personal.clear_text_reason or ""),
                )
                for personal in declaration.personal
            ),
            not_personal=declaration.not_personal,
            retention=declaration.retention,
            holdable=declaration.holdable,
            exported=declaration.exported,
            notes=str(declaration.notes),
        )
        for declaration in declarations()
    ]
