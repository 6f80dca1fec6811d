"""The deletion plan, and its execution exactly as planned.

Before confirming, the member sees, from the data map, what is erased now and
what must be kept, why and until when:
- rows under a legal hold (another open request, a recourse, a hold staff
  placed) are kept while the hold lasts;
- rows whose declaration keeps them for a legal purpose (a field declared with
  ``Purpose.LEGAL`` and a retention window) are kept until their window ends;
- a row that a kept row points to (so deleting it would cascade or be refused)
  is anonymised instead: its personal fields are blanked, the row stays;
- the account itself is closed: sign-in becomes impossible, the email is
  replaced, a tombstone row remains so kept records still have an owner;
- everything else is erased now.

Why one module past 400 lines: the plan and its execution must stay side by side
so the execution does exactly what the member was shown.
"""

from __future__ import annotations

import graphlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from privacy.audit.api import audit_record
from privacy.crypto import keyring
from privacy.datamap.registry import Declaration, Purpose, Retention
from privacy.fields import (
    blind_indexes_drop,
    data_key_owner_models,
    is_data_key_person_model,
    reseal_rows,
)
from privacy.keystore.api import backups_cleared_on, data_key_create, data_keys_destroy
from privacy.requests import integrations
from privacy.requests.selectors import subject_declarations, subject_rows
from privacy.retention.rules import RetentionRule, field_at_path


class PlanAction(StrEnum):
    ERASE = "erase"
    ANONYMISE = "anonymise"
    KEEP = "keep"
    CLOSE_ACCOUNT = "close_account"


@dataclass
class PlanGroup:
    declaration: Declaration
    action: PlanAction
    pks: set = field(default_factory=set)
    reason: str = ""
    until: date | None = None
    until_text: str = ""
    blanked: tuple[str, ...] = ()
    # Personal fields anonymisation cannot blank (a required date, say): they stay.
    remaining: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.declaration.label

    @property
    def title(self) -> str:
        return str(self.declaration.model._meta.verbose_name_plural)

    @property
    def remaining_labels(self) -> list[str]:
        meta = self.declaration.model._meta
        return [
            str(cast(models.Field, meta.get_field(name)).verbose_name) for name in self.remaining
        ]

    @property
    def count(self) -> int:
        return len(self.pks)

    def snapshot(self) -> dict[str, Any]:
        return {
            "model": self.label,
            "title": self.title,
            "action": str(self.action),
            "count": self.count,
            "reason": self.reason,
            "until": self.until.isoformat() if self.until else None,
            "until_text": self.until_text,
            "blanked": list(self.blanked),
            "remaining": list(self.remaining),
        }


@dataclass
class DeletionPlan:
    groups: list[PlanGroup]
    computed_at: datetime
    # Data keys destroyed when the plan was carried out (privacy/keystore).
    data_keys_destroyed: int = 0

    def of(self, action: PlanAction) -> list[PlanGroup]:
        return [g for g in self.groups if g.action == action and g.count]

    @property
    def erased(self) -> list[PlanGroup]:
        return self.of(PlanAction.ERASE)

    @property
    def anonymised(self) -> list[PlanGroup]:
        return self.of(PlanAction.ANONYMISE)

    @property
    def kept(self) -> list[PlanGroup]:
        return self.of(PlanAction.KEEP)

    @property
    def account(self) -> list[PlanGroup]:
        return self.of(PlanAction.CLOSE_ACCOUNT)

    @property
    def backup_days(self) -> int:
        """Days after it is carried out by which the deletion reaches every backup."""
        return (backups_cleared_on(self.computed_at.date()) - self.computed_at.date()).days

    @property
    def backups_cleared_on(self) -> date:
        """For a deletion carried out now: the day no backup can bring the data back."""
        return backups_cleared_on(timezone.localdate(self.computed_at))

    def surviving(self) -> dict[str, set]:
        """Per model, the primary keys of rows that remain after execution."""
        out: dict[str, set] = {}
        for group in self.groups:
            if group.action != PlanAction.ERASE:
                out.setdefault(group.label, set()).update(group.pks)
        return out

    def snapshot(self) -> dict[str, Any]:
        return {
            "computed_at": self.computed_at.isoformat(),
            "groups": [g.snapshot() for g in self.groups if g.count],
            "data_keys_destroyed": self.data_keys_destroyed,
            "backups_cleared_on": self.backups_cleared_on.isoformat(),
        }


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _duration_text(window: RetentionRule) -> str:
    days = window.keep_for.days
    start = field_at_path(window.model, window.starts_from).verbose_name
    if days and days % 365 == 0:
        years = days // 365
        span = ngettext("%(n)d an", "%(n)d ans", years) % {"n": years}
    else:
        span = ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}
    return _("%(span)s après la date « %(start)s »") % {"span": span, "start": start}


def _kept_by_law(declaration: Declaration) -> bool:
    """Kept through a deletion until its window ends: a legal purpose and a window.

    A declaration no hold may keep (``holdable=False``: sessions, the export
    archive) serves no legal purpose past the member's deletion: it goes.
    """
    retention = declaration.retention
    if retention is None or not declaration.holdable:
        return False
    if retention.survives_deletion is not None:
        return retention.survives_deletion
    return any(Purpose.LEGAL in f.purposes for f in declaration.personal)


_CANNOT_BLANK = object()


def _blank(model_field: models.Field) -> Any:
    """What anonymisation writes: NULL, else the field's plain default, else empty text.

    Unique fields, links and categorical codes (fields with choices, which other
    invariants depend on and which identify no one) are left as they are.
    """
    if model_field.unique or model_field.is_relation or model_field.primary_key:
        return _CANNOT_BLANK
    if model_field.choices:
        return _CANNOT_BLANK
    if model_field.null:
        return None
    if model_field.has_default() and not callable(model_field.default):
        return model_field.default
    if isinstance(model_field, models.CharField | models.TextField):
        return ""
    return _CANNOT_BLANK


def _blankable(declaration: Declaration) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(fields anonymisation blanks, personal fields it cannot blank and leaves)."""
    model = declaration.model
    wanted = (
        declaration.retention.anonymise_fields
        if declaration.retention and declaration.retention.anonymise_fields
        else declaration.personal_names
    )
    blanked, remaining = [], []
    for name in declaration.personal_names:
        if (
            name in wanted
            and _blank(cast(models.Field, model._meta.get_field(name))) is not _CANNOT_BLANK
        ):
            blanked.append(name)
        else:
            remaining.append(name)
    return tuple(blanked), tuple(remaining)


def hold_reason(hold) -> str:
    """Why a hold keeps data, in the reader's language (the stored text is the site's)."""
    if hold.kind == "privacy_request" and hold.source_id:
        return _("demande %(reference)s en cours de traitement") % {"reference": hold.source_id}
    if hold.kind == "recourse" and hold.source_id:
        return _(
            "délai de recours devant la Commission d’accès à l’information après le refus "
            "de la demande %(reference)s"
        ) % {"reference": hold.source_id}
    # An explicit hold: the reason staff wrote, as they wrote it.
    return f"{hold.get_kind_display()} : {hold.reason}"


def _hold_group(declaration: Declaration, pks: set, holds: list) -> PlanGroup:
    reasons = "; ".join(hold_reason(hold) for hold in holds)
    ends = [getattr(hold, "ends", None) for hold in holds]
    known = [end for end in ends if end is not None]
    until = None if len(known) < len(ends) else _as_date(max(known))
    return PlanGroup(
        declaration,
        PlanAction.KEEP,
        pks,
        reason=_("Sous blocage légal : %(reasons)s") % {"reasons": reasons},
        until=until,
        until_text="" if until else _("jusqu’à la levée du blocage"),
    )


def deletion_plan(*, user, privacy_request=None) -> DeletionPlan:
    """What a deletion would do now, computed from the data map."""
    source = privacy_request.reference if privacy_request is not None else ""
    holds = integrations.holds_active(subject=user, excluding_source=source)
    now = timezone.now()
    today = timezone.localdate()
    # The windows the purge itself applies, so the plan promises what will happen.
    windows = integrations.retention_windows()
    groups: list[PlanGroup] = []
    for declaration in subject_declarations():
        rows = subject_rows(declaration=declaration, user=user)
        if declaration.subject == "":
            groups.append(
                PlanGroup(
                    declaration,
                    PlanAction.CLOSE_ACCOUNT,
                    set(rows.values_list("pk", flat=True)),
                    reason=_(
                        "Le compte est fermé : la connexion devient impossible et l’adresse "
                        "courriel est effacée. Une trace sans renseignement vous identifiant "
                        "reste, pour rattacher ce qui doit être conservé."
                    ),
                )
            )
            continue
        if declaration.holdable and holds:
            pks = set(rows.values_list("pk", flat=True))
            groups.append(_hold_group(declaration, pks, holds))
            continue
        if _kept_by_law(declaration):
            retention = cast(Retention, declaration.retention)  # kept by law: it has one
            window = windows[declaration.label]
            kept, erased = set(), set()
            ends: list[date | None] = []
            for pk, start in rows.values_list("pk", window.starts_from):
                if start is None:
                    kept.add(pk)
                    ends.append(None)
                    continue
                end = window.deadline(start)
                if (end <= now) if isinstance(end, datetime) else (end <= today):
                    erased.add(pk)
                else:
                    kept.add(pk)
                    ends.append(_as_date(end))
            known = [end for end in ends if end is not None]
            until = None if (not ends or len(known) < len(ends)) else max(known)
            groups.append(
                PlanGroup(
                    declaration,
                    PlanAction.KEEP,
                    kept,
                    reason=str(retention.reason),
                    until=until,
                    until_text="" if until else _duration_text(window),
                )
            )
            groups.append(PlanGroup(declaration, PlanAction.ERASE, erased))
            continue
        groups.append(
            PlanGroup(declaration, PlanAction.ERASE, set(rows.values_list("pk", flat=True)))
        )
    _protect_referenced(groups)
    return DeletionPlan(groups=groups, computed_at=now)


def _protect_referenced(groups: list[PlanGroup]) -> None:
    """Rows a surviving row points to are anonymised, not deleted (no silent cascade)."""
    by_model: dict[type[models.Model], list[PlanGroup]] = {}
    for group in groups:
        by_model.setdefault(group.declaration.model, []).append(group)
    blocking = (models.CASCADE, models.PROTECT, models.RESTRICT)
    changed = True
    while changed:
        changed = False
        for group in [g for g in groups if g.action == PlanAction.ERASE and g.pks]:
            model = group.declaration.model
            referenced: set = set()
            for relation in model._meta.related_objects:
                if relation.on_delete not in blocking or not relation.field.concrete:
                    continue
                surviving = [
                    g
                    for g in by_model.get(relation.related_model, [])
                    if g.action != PlanAction.ERASE and g.pks
                ]
                for survivor in surviving:
                    referenced.update(
                        relation.related_model._default_manager.filter(
                            pk__in=survivor.pks
                        ).values_list(relation.field.attname, flat=True)
                    )
            moved = group.pks & referenced
            if moved:
                group.pks -= moved
                anonymised = next(
                    (g for g in by_model[model] if g.action == PlanAction.ANONYMISE),
                    None,
                )
                if anonymised is None:
                    reason = _(
                        "Des renseignements conservés y renvoient : la fiche reste, "
                        "vidée des renseignements qui vous identifient."
                    )
                    retention = group.declaration.retention
                    if retention is not None and retention.reason:
                        reason = f"{reason} {retention.reason}"
                    anonymised = PlanGroup(group.declaration, PlanAction.ANONYMISE, reason=reason)
                    groups.append(anonymised)
                    by_model[model].append(anonymised)
                anonymised.pks |= moved
                changed = True
    for group in groups:
        if group.action == PlanAction.ANONYMISE:
            group.blanked, group.remaining = _anonymisable(group)


def _anonymisable(group: PlanGroup) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Which fields can be blanked on these very rows without breaking an invariant.

    Each candidate is tried on the rows in memory and kept only if every model
    constraint still holds (e.g. "claimed_at is set iff the account is").
    """
    candidates, remaining = _blankable(group.declaration)
    model = group.declaration.model
    rows = list(model._default_manager.filter(pk__in=group.pks))
    blanked, kept = [], list(remaining)
    for name in candidates:
        model_field = model._meta.get_field(name)
        before = [getattr(row, name) for row in rows]
        for row in rows:
            setattr(row, name, _blank(cast(models.Field, model_field)))
        try:
            for row in rows:
                row.validate_constraints()
        except ValidationError:
            for row, value in zip(rows, before, strict=True):
                setattr(row, name, value)
            kept.append(name)
        else:
            blanked.append(name)
    return tuple(blanked), tuple(n for n in group.declaration.personal_names if n in kept)


def _deletion_order(groups: list[PlanGroup]) -> list[PlanGroup]:
    """Rows that point to other erased rows go first, so no PROTECT stands in the way."""
    erase = [g for g in groups if g.action == PlanAction.ERASE and g.pks]
    models_ = {g.declaration.model for g in erase}
    sorter: graphlib.TopologicalSorter = graphlib.TopologicalSorter()
    for model in models_:
        parents = {
            f.related_model
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in models_ and f.related_model is not model
        }
        # A parent comes after its children: children are "predecessors" of parents.
        sorter.add(model)
        for parent in parents:
            sorter.add(parent, model)
    try:
        order = list(sorter.static_order())
    except graphlib.CycleError:
        order = list(models_)
    rank = {model: i for i, model in enumerate(order)}
    return sorted(erase, key=lambda g: rank[g.declaration.model])


def _close_account(user, declaration: Declaration) -> None:
    """Sign-in impossible, email replaced, nullable personal fields blanked."""
    email_field = user.get_email_field_name()
    for name in declaration.personal_names:
        if name != email_field and user._meta.get_field(name).null:
            setattr(user, name, None)
    setattr(user, email_field, f"deleted-{user.pk}@deleted.invalid")
    user.set_unusable_password()
    user.is_active = False
    user.save()


def deletion_execute(*, user, privacy_request) -> DeletionPlan:
    """Carry out the plan (the caller holds the transaction and writes the audit row)."""
    plan = deletion_plan(user=user, privacy_request=privacy_request)
    persons = _data_key_persons(plan)
    for group in _deletion_order(plan.groups):
        group.declaration.model._default_manager.filter(pk__in=group.pks).delete()
    for group in plan.anonymised:
        model = group.declaration.model
        for obj in model._default_manager.filter(pk__in=group.pks):
            for name in group.blanked:
                setattr(obj, name, _blank(cast(models.Field, model._meta.get_field(name))))
            obj.save()
    for group in plan.account:
        _close_account(user, group.declaration)
    plan.data_keys_destroyed = _shred(plan, persons, privacy_request=privacy_request)
    return plan


def _data_key_persons(plan: DeletionPlan) -> set:
    """The member records of the plan: each owns the data key their household is sealed under."""
    return {
        pk
        for group in plan.groups
        if is_data_key_person_model(group.declaration.model)
        for pk in group.pks
    }


def _shred(plan: DeletionPlan, persons: set, *, privacy_request) -> int:
    """Destroy the persons' data keys: every earlier copy of their values, backups included,
    becomes unreadable.

    Rows kept by law (or a hold) stay readable in the live database: they are first
    sealed again under a fresh key of the person, destroyed in turn when the purge
    removes the record. Their blind indexes leave the live database.
    """
    if not persons:
        return 0
    surviving = plan.surviving()
    fresh: list[str] = []
    kept_rows = {
        model: surviving.get(model._meta.label, set()) for model in data_key_owner_models()
    }
    if any(kept_rows.values()):
        fresh = [data_key_create(person, ring=keyring()).ref for person in persons]
        for model, pks in kept_rows.items():
            if pks:
                reseal_rows(model, pks)
                blind_indexes_drop(model, pks)
    destroyed = data_keys_destroy(persons, keep=fresh)
    audit_record(
        action="privacy_request.data_keys_destroyed",
        obj=privacy_request,
        metadata={"count": destroyed, "kept_rows_resealed": sum(map(len, kept_rows.values()))},
    )
    return destroyed
