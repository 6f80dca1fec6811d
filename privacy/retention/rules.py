"""Retention rules: the data map's windows, with overrides from settings.

A rule says, for one model: the date its rows' window starts from, how long
they are kept, and what happens at the end (delete, or anonymise named
fields). ``settings.PRIVACY_RETENTION = {"app_label.Model": {"keep_for_days": N}}``
overrides the length of a window; everything else comes from the declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise

from privacy.datamap.registry import Action, Declaration, declarations
from privacy.retention.app_settings import app_settings


@dataclass(frozen=True)
class RetentionRule:
    declaration: Declaration
    keep_for: timedelta
    # Whether keep_for comes from settings.PRIVACY_RETENTION.
    overridden: bool = False

    @property
    def label(self) -> str:
        return self.declaration.label

    @property
    def model(self) -> type[models.Model]:
        return self.declaration.model

    @property
    def starts_from(self) -> str:
        return self.declaration.retention.starts_from

    @property
    def action(self) -> Action:
        return Action(self.declaration.retention.action)

    @property
    def anonymise_fields(self) -> tuple[str, ...]:
        return self.declaration.retention.anonymise_fields

    @property
    def reason(self) -> str | Promise:
        return self.declaration.retention.reason

    @property
    def also_elapsed(self) -> tuple[str, ...]:
        return self.declaration.retention.also_elapsed

    @property
    def only_if(self):
        return self.declaration.retention.only_if

    @property
    def takes_with(self) -> frozenset[str]:
        return frozenset(self.declaration.retention.takes_with)

    @property
    def closes_account(self) -> bool:
        return self.declaration.retention.closes_account

    @property
    def subject(self) -> str | None:
        return self.declaration.subject

    @property
    def holdable(self) -> bool:
        """Whether a legal hold on the row's subject keeps it."""
        return self.declaration.holdable and self.declaration.subject is not None

    @property
    def starts_on_date(self) -> bool:
        """True when the start is a DateField (compared by day), not a DateTimeField."""
        field = field_at_path(self.model, self.starts_from)
        return not isinstance(field, models.DateTimeField)

    def cutoff(self, now: datetime) -> datetime:
        """Rows whose window started before this instant have outlived it."""
        return now - self.keep_for

    def cutoff_value(self, cutoff: datetime) -> date | datetime:
        return timezone.localdate(cutoff) if self.starts_on_date else cutoff

    def deadline(self, starts: date | datetime) -> date | datetime:
        """When a row whose window started at ``starts`` becomes due."""
        return starts + self.keep_for


def field_at_path(model: type[models.Model], path: str) -> models.Field:
    """The field an ORM path such as ``"claim__closed_on"`` ends on."""
    *hops, last = path.split("__")
    for part in hops:
        model = model._meta.get_field(part).related_model
        if model is None:
            raise FieldDoesNotExist(f"{part!r} is not a relation")
    return model._meta.get_field(last)


def retention_rules() -> list[RetentionRule]:
    """Every model whose declaration has a retention, with settings overrides."""
    overrides = app_settings.RETENTION
    rules = []
    for declaration in declarations():
        if declaration.retention is None:
            continue
        override = overrides.get(declaration.label, {})
        if "keep_for_days" in override:
            rules.append(
                RetentionRule(
                    declaration, timedelta(days=override["keep_for_days"]), overridden=True
                )
            )
        else:
            rules.append(RetentionRule(declaration, declaration.retention.keep_for))
    return rules


def purge_order(rules: list[RetentionRule]) -> list[RetentionRule]:
    """Rows that point to another rule's rows are purged first (dependants before the
    member, the member before the account), so one run reaches the end of a chain."""
    import graphlib

    by_model = {rule.model: rule for rule in rules}
    sorter: graphlib.TopologicalSorter = graphlib.TopologicalSorter()
    for rule in rules:
        sorter.add(rule.label)
        for field in rule.model._meta.concrete_fields:
            parent = by_model.get(field.related_model) if field.is_relation else None
            if parent is not None and parent is not rule:
                sorter.add(parent.label, rule.label)
    try:
        order = {label: i for i, label in enumerate(sorter.static_order())}
    except graphlib.CycleError:
        return rules
    return sorted(rules, key=lambda rule: (order[rule.label], rule.label))


def retention_rule_for(label: str) -> RetentionRule | None:
    return next((rule for rule in retention_rules() if rule.label == label), None)


def blank_value(field: models.Field) -> str | None:
    """What anonymisation writes: NULL where allowed (encrypted fields), else ""."""
    return None if field.null else ""


def rule_errors(rule: RetentionRule) -> list[str]:
    """Why a rule cannot be applied safely, if it cannot."""
    model, errors = rule.model, []
    try:
        start = field_at_path(model, rule.starts_from)
    except FieldDoesNotExist:
        return [f"{rule.label}: starts_from {rule.starts_from!r} is not a field path"]
    if not isinstance(start, models.DateField):
        errors.append(f"{rule.label}: starts_from {rule.starts_from!r} is not a date")
    elif getattr(start, "encrypted", False):
        errors.append(f"{rule.label}: starts_from {rule.starts_from!r} is encrypted (no ranges)")
    if rule.keep_for <= timedelta(0):
        errors.append(f"{rule.label}: keep_for must be positive")
    if rule.action == Action.DELETE and rule.anonymise_fields:
        errors.append(f"{rule.label}: anonymise_fields given for a delete rule")
    if rule.action == Action.ANONYMISE:
        if not rule.anonymise_fields:
            errors.append(f"{rule.label}: anonymise rule without anonymise_fields")
        personal = set(rule.declaration.personal_names)
        for name in rule.anonymise_fields:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                errors.append(f"{rule.label}: no field {name!r} to anonymise")
                continue
            if name not in personal:
                errors.append(f"{rule.label}: {name!r} is not declared personal")
            if field.primary_key or not field.concrete:
                errors.append(f"{rule.label}: {name!r} cannot be blanked")
            elif getattr(field, "encrypted", False) and not field.null:
                errors.append(f"{rule.label}: encrypted {name!r} must allow NULL to be blanked")
            elif not field.null and not isinstance(field, models.CharField | models.TextField):
                errors.append(f"{rule.label}: {name!r} allows neither NULL nor an empty string")
    for path in rule.also_elapsed:
        try:
            if not isinstance(field_at_path(model, path), models.DateField):
                errors.append(f"{rule.label}: also_elapsed {path!r} is not a date")
        except FieldDoesNotExist:
            errors.append(f"{rule.label}: also_elapsed {path!r} is not a field path")
    for label in rule.takes_with:
        if label not in {
            rel.related_model._meta.label
            for rel in model._meta.related_objects
            if rel.on_delete is models.CASCADE
        }:
            errors.append(f"{rule.label}: takes_with {label!r} is not a cascading relation")
    if rule.closes_account and rule.subject in (None, ""):
        errors.append(f"{rule.label}: closes_account needs a subject path to an account")
    if rule.holdable:
        try:
            if rule.subject:
                field_at_path(model, rule.subject)
        except FieldDoesNotExist:
            errors.append(f"{rule.label}: subject {rule.subject!r} is not a field path")
    return errors


@checks.register("privacy")
def retention_rules_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A rule that cannot be applied, or an override of nothing, stops the build."""
    messages = [
        checks.Error(error, id="privacy.E801")
        for rule in retention_rules()
        for error in rule_errors(rule)
    ]
    labels = {rule.label for rule in retention_rules()}
    for label, override in app_settings.RETENTION.items():
        if label not in labels:
            messages.append(
                checks.Error(
                    f"PRIVACY_RETENTION names {label!r}, which declares no retention",
                    id="privacy.E802",
                )
            )
        days = override.get("keep_for_days") if isinstance(override, dict) else None
        if set(override or ()) != {"keep_for_days"} or not isinstance(days, int) or days <= 0:
            messages.append(
                checks.Error(
                    f"PRIVACY_RETENTION[{label!r}] must be {{'keep_for_days': N}}, N > 0",
                    id="privacy.E803",
                )
            )
    return messages
