"""The purge engine: finds rows past their window and deletes or anonymises them.

Rows are taken in bounded batches, each in its own transaction together with
its ledger count, so an interruption leaves no half-processed row and a
rerun (or resumed run) finishes the job. On PostgreSQL rows locked by another
transaction are skipped (SKIP LOCKED) and taken by the next run. A row whose
deletion would cascade into a model that has its own data-map declaration is
refused: related rows follow their own rule, never Django's cascade.

Why one module past 400 lines: the batch walk, holds, cascades and the ledger of a
purge must be read together to see that a run is resumable and never purges early.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import cast

from django.db import OperationalError, connections, models, router, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.deletion import CASCADE, PROTECT, RESTRICT, Collector
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.audit.chain import audit_record
from privacy.batches import Window, keyset_windows
from privacy.datamap.registry import Action, declaration_for
from privacy.fields import is_data_key_person_model
from privacy.keystore.api import data_keys_destroy
from privacy.retention.app_settings import app_settings
from privacy.retention.lease import Holder, LeaseBusy, lease, lease_holder
from privacy.retention.models import AnonymisationRecord, LegalHold, RetentionRun, RetentionRunLine
from privacy.retention.rules import RetentionRule, blank_value, purge_order, retention_rules

LOCK_KEY = "privacy:retention:purge-lock"
# How long a batch waits for a row another transaction holds before it takes
# its window again, skipping locked rows (PostgreSQL's lock_not_available).
LOCK_WAIT_MS = 50
LOCK_NOT_AVAILABLE = "55P03"
Progress = Callable[[RetentionRunLine, int], None]
# The deletions that reach (or refuse to reach) the rows of another model.
REACHING: tuple[object, ...] = (CASCADE, PROTECT, RESTRICT)


class RetentionPurgeBusy(Exception):
    """Another purge holds the lock: purges never run twice at once.

    ``holder`` says which machine and process, since when, and when to retry.
    """

    def __init__(self, holder: Holder | None = None):
        super().__init__(holder.hostname if holder else "")
        self.holder = holder


class RetentionPurgeError(Exception):
    pass


@contextmanager
def purge_lock(*, take_over: bool = False) -> Iterator[Callable[[], None]]:
    """Hold the purge lock; the callable renews it (called after every batch).

    A heartbeat renews it meanwhile, so a killed holder's lock lapses within
    one lease (``PRIVACY_LOCK_LEASE_SECONDS``), or at once on the same machine.
    """
    try:
        with lease(LOCK_KEY, take_over=take_over) as renew:
            yield renew
    except LeaseBusy as busy:
        raise RetentionPurgeBusy(busy.holder) from None


def purge_lock_holder() -> Holder | None:
    return lease_holder(LOCK_KEY)


def retention_purge(
    *,
    started_by: str,
    dry_run: bool = False,
    model_label: str = "",
    batch_size: int | None = None,
    time_budget: float | None = None,
    pause_on: tuple[type[BaseException], ...] = (),
    progress: Progress | None = None,
    take_over: bool = False,
) -> RetentionRun:
    """Run a purge over every rule (or only ``model_label``'s) and return its ledger.

    After ``time_budget`` seconds, or when one of ``pause_on`` is raised (a
    Celery soft time limit), the run stops between batches as PAUSED, to be
    finished by :func:`retention_purge_resume`.
    """
    rules = _rules_for(model_label)
    with purge_lock(take_over=take_over) as keep_lock:
        run = RetentionRun.objects.create(
            started_by=started_by,
            dry_run=dry_run,
            model_label=model_label,
            batch_size=batch_size or app_settings.PURGE_BATCH_SIZE,
        )
        _close_stale_runs(run)
        return _purge(run, rules, keep_lock, time_budget, pause_on, progress)


def retention_purge_resume(
    *,
    run_id: int,
    time_budget: float | None = None,
    pause_on: tuple[type[BaseException], ...] = (),
    progress: Progress | None = None,
) -> RetentionRun:
    """Finish a paused or interrupted run with its own parameters; a finished run is left as is."""
    with purge_lock() as keep_lock:
        run = RetentionRun.objects.get(pk=run_id)
        if run.status == RetentionRun.Status.FINISHED:
            return run
        run.status = RetentionRun.Status.RUNNING
        run.finished = None
        run.save(update_fields=["status", "finished"])
        _close_stale_runs(run)
        return _purge(run, _rules_for(run.model_label), keep_lock, time_budget, pause_on, progress)


def _rules_for(model_label: str) -> list[RetentionRule]:
    rules = purge_order(retention_rules())
    if model_label:
        rules = [rule for rule in rules if rule.label == model_label]
        if not rules:
            raise RetentionPurgeError(
                _("Aucune règle de conservation pour « %(label)s ».") % {"label": model_label}
            )
    return rules


def _close_stale_runs(run: RetentionRun) -> None:
    """Runs left running or paused by a killed process: we hold the lock, so none is alive."""
    RetentionRun.objects.filter(
        status__in=[RetentionRun.Status.RUNNING, RetentionRun.Status.PAUSED]
    ).exclude(pk=run.pk).update(status=RetentionRun.Status.INTERRUPTED, finished=timezone.now())


def _purge(
    run: RetentionRun,
    rules: list[RetentionRule],
    keep_lock: Callable[[], None],
    time_budget: float | None,
    pause_on: tuple[type[BaseException], ...],
    progress: Progress | None,
) -> RetentionRun:
    deadline = None if time_budget is None else time.monotonic() + time_budget
    try:
        for rule in rules:
            line = _line_for(run, rule)
            if line.finished:
                continue
            if run.dry_run:
                _simulate(rule, line)
                continue
            if not _apply(rule, line, run.batch_size, deadline, keep_lock, progress):
                return _close(run, RetentionRun.Status.PAUSED)
        return _close(run, RetentionRun.Status.FINISHED)
    except pause_on:
        return _close(run, RetentionRun.Status.PAUSED)
    except BaseException:
        # If the database is gone, the next run marks this one interrupted.
        with suppress(Exception):
            _close(run, RetentionRun.Status.INTERRUPTED)
        raise


def _close(run: RetentionRun, status: str) -> RetentionRun:
    """Close the run; its audit row says who started it and how it ended (never what)."""
    with transaction.atomic():
        run.status = status
        run.finished = timezone.now()
        run.save(update_fields=["status", "finished"])
        audit_record(
            action="retention.run_closed",
            obj=run,
            metadata={"status": status, "dry_run": run.dry_run, "started_by": run.started_by},
        )
    return run


def _line_for(run: RetentionRun, rule: RetentionRule) -> RetentionRunLine:
    """The run's line for a rule; a resumed run keeps the cutoff it started with."""
    line, _created = RetentionRunLine.objects.get_or_create(
        run=run,
        model_label=rule.label,
        defaults={
            "action": rule.action.value,
            "starts_from": rule.starts_from,
            "window": rule.keep_for,
            "cutoff": rule.cutoff(run.started),
        },
    )
    return line


def _all_rows(model: type[models.Model]) -> models.QuerySet:
    """Every row, through the model's own queryset class (so ``update()`` keeps blind
    indexes in step with the encrypted fields it blanks) without its manager's filters."""
    queryset_class = type(model._default_manager.get_queryset())
    return queryset_class(model=model, using=router.db_for_write(model))


def _expired(rule: RetentionRule, line: RetentionRunLine) -> models.QuerySet:
    """Every row whose window started before the cutoff (held or not)."""
    cutoff = rule.cutoff_value(line.cutoff)
    rows = _all_rows(rule.model).filter(**{f"{rule.starts_from}__lt": cutoff})
    for path in rule.also_elapsed:
        rows = rows.filter(Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__lt": line.cutoff}))
    if rule.only_if is not None:
        rows = rows.filter(rule.only_if)
    return rows.order_by()


def _held_q(rule: RetentionRule) -> Q | None:
    """Rows whose subject is under an active legal hold (None: the rule cannot be held)."""
    if not rule.holdable:
        return None
    subjects = LegalHold.objects.active().values("subject_id")
    return Q(**{f"{rule.subject}__in" if rule.subject else "pk__in": subjects})


def _blocking_q(
    model: type[models.Model], seen: frozenset = frozenset(), takes_with: frozenset = frozenset()
) -> Q | None:
    """Rows whose deletion would cascade into (or be refused by) rows that follow their own rule.

    Follows CASCADE through undeclared models (their rows go with ours) and
    through the declared ones the rule ``takes_with``; stops at other declared
    ones, and at PROTECT/RESTRICT, which would refuse the delete.
    """
    conditions = []
    for rel in model._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ForeignObjectRel) or not (
            rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
        ):
            continue
        related = cast(type[models.Model], rel.related_model)
        if related._meta.auto_created or rel.on_delete not in REACHING:
            continue
        rows = related._base_manager.filter(
            **{rel.field.attname: OuterRef(rel.field.target_field.attname)}
        )
        own = related._meta.label in takes_with
        if (declaration_for(related) and not own) or rel.on_delete is not CASCADE:
            conditions.append(Q(Exists(rows)))
        elif related not in seen:
            inner = _blocking_q(related, seen | {model}, takes_with)
            if inner is not None:
                conditions.append(Q(Exists(rows.filter(inner))))
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def _pending_q(rule: RetentionRule) -> Q:
    """Rows still holding a value in at least one field to anonymise."""
    pending = Q()
    for name in rule.anonymise_fields:
        field = rule.model._meta.get_field(name)
        pending |= Q(**{f"{name}__isnull": False}) if field.null else ~Q(**{name: ""})
    return pending


def _candidates(
    rule: RetentionRule, line: RetentionRunLine
) -> tuple[models.QuerySet, models.QuerySet, dict]:
    """The rows in scope (expired, and for anonymise still holding a value), those of
    them the rule acts on now, and how many it takes (eligible) and leaves: held
    (legal hold) and blocked (cascade refused).

    Counted as three cheap queries (the scope's index, the held subjects' rows,
    rows with related rows) rather than one pass testing every row.
    """
    scope = _expired(rule, line)
    if rule.action == Action.ANONYMISE:
        scope = scope.filter(_pending_q(rule))
    candidates = scope
    counts = {"held": 0, "blocked": 0}
    held = _held_q(rule)
    if held is not None:
        counts["held"] = scope.filter(held).count()
        candidates = candidates.exclude(held)
    blocking = (
        _blocking_q(rule.model, takes_with=rule.takes_with)
        if rule.action == Action.DELETE
        else None
    )
    if blocking is not None:
        counts["blocked"] = candidates.filter(blocking).count()
        candidates = candidates.exclude(blocking)
    counts["eligible"] = scope.count() - counts["held"] - counts["blocked"]
    return scope, candidates, counts


def _simulate(rule: RetentionRule, line: RetentionRunLine) -> None:
    """Dry run: count what a real run would do, touch nothing."""
    _scope, _rows, counts = _candidates(rule, line)
    line.count = counts["eligible"]
    line.held, line.blocked = counts["held"], counts["blocked"]
    line.finished = True
    line.save()


def _apply(
    rule: RetentionRule,
    line: RetentionRunLine,
    batch_size: int,
    deadline: float | None,
    keep_lock: Callable[[], None],
    progress: Progress | None,
) -> bool:
    """Act on the rule's rows batch by batch; False when out of time (to be resumed)."""
    scope, candidates, counts = _candidates(rule, line)
    line.held, line.blocked = counts["held"], counts["blocked"]
    line.save(update_fields=["held", "blocked"])
    # For progress reports (done/total): what this line should reach, not stored.
    line.to_do = line.count + counts["eligible"]
    done_here = 0
    for window in keyset_windows(scope, size=batch_size, key=(rule.starts_from, "pk")):
        done = _batch(rule, line, candidates, window)
        done_here += done
        keep_lock()
        if progress:
            progress(line, done)
        if window.is_last:
            break
        if done and deadline is not None and time.monotonic() >= deadline:
            return False
    # Eligible rows not taken were locked by another transaction: the next run takes them.
    line.deferred = max(counts["eligible"] - done_here, 0)
    line.finished = True
    line.save(update_fields=["deferred", "finished"])
    return True


def _batch(
    rule: RetentionRule,
    line: RetentionRunLine,
    candidates: models.QuerySet,
    window: Window,
) -> int:
    """One transaction: act on one window of rows and count them in the ledger.

    Windows follow (start date, pk) (privacy.batches.keyset_windows: keyset pagination,
    served by an index on (start, pk) where the model has one). No batch rescans rows
    that earlier batches removed, and nothing is loaded into memory: each window is one
    DELETE or UPDATE statement (see _take for rows another transaction holds).
    Returns the number of rows done.
    """
    using = router.db_for_write(rule.model)
    with transaction.atomic(using=using):
        done, cascaded = _take(rule, line, candidates, window.q, using)
        for label, count in cascaded.items():
            line.cascaded[label] = line.cascaded.get(label, 0) + count
        if done:
            line.count += done
            line.save(update_fields=["count", "cascaded", "keys_destroyed"])
    return done


def _take(
    rule: RetentionRule,
    line: RetentionRunLine,
    candidates: models.QuerySet,
    bounds: Q,
    using: str,
) -> tuple[int, dict]:
    """Delete or anonymise the window's rows; rows another transaction holds are left.

    On PostgreSQL the window is first taken plainly, waiting at most
    LOCK_WAIT_MS for a row someone else holds; on such a conflict it is taken
    again with FOR UPDATE SKIP LOCKED, which leaves those rows for the next
    run. (Locking every row up front costs about as much as deleting it, so
    it is kept for the windows that need it.)
    """
    window = candidates.filter(bounds)
    connection = connections[using]
    if not connection.features.has_select_for_update_skip_locked:
        return _act(rule, line, window, using)
    try:
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT_MS}ms'")
            return _act(rule, line, window, using)
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
    taken = window.select_for_update(skip_locked=True, of=("self",)).values("pk")
    # The window's bounds on the outer statement keep the database to the window.
    return _act(rule, line, _all_rows(rule.model).filter(bounds, pk__in=taken), using)


def _act(
    rule: RetentionRule, line: RetentionRunLine, rows: models.QuerySet, using: str
) -> tuple[int, dict]:
    """One UPDATE blanking the named fields, or a delete refusing declared cascades."""
    model = rule.model
    if rule.action == Action.ANONYMISE:
        done = rows.update(
            **{
                name: blank_value(cast(models.Field, model._meta.get_field(name)))
                for name in rule.anonymise_fields
            }
        )
        if done:
            _record_anonymisation(rule, line)
        return done, {}
    # An account-closing rule names its subject path (the data map checks it).
    accounts = list(rows.values_list(str(rule.subject), flat=True)) if rule.closes_account else []
    persons = list(rows.values_list("pk", flat=True)) if is_data_key_person_model(model) else []
    done, cascaded = _delete(model, rows, using, takes_with=rule.takes_with)
    if accounts:
        _close_accounts(accounts, using)
    if persons:
        _destroy_data_keys(model, line, persons)
    return done, cascaded


def _destroy_data_keys(model: type[models.Model], line: RetentionRunLine, persons: list) -> None:
    """The purged records' data keys go too: their values leave every backup (privacy/keystore).

    Counted in the ledger (saved with the batch) and in the audit log, never the keys.
    """
    destroyed = data_keys_destroy(persons)
    if destroyed:
        line.keys_destroyed += destroyed
        audit_record(
            action="retention.data_keys_destroyed",
            metadata={"count": destroyed, "model": model._meta.label},
        )


def _close_accounts(account_ids: list, using: str) -> None:
    """The person's record is gone: their account can no longer sign in, nor keep a session.

    The account itself follows its own rule (usually deleted in the same run).
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    user_model = get_user_model()
    ids = [pk for pk in account_ids if pk is not None]
    if not ids:
        return
    user_model._base_manager.using(using).filter(pk__in=ids).update(
        is_active=False, password=make_password(None)
    )
    audit_record(
        action="retention.accounts_closed",
        metadata={"count": len(ids), "model": user_model._meta.label},
    )


def _delete(
    model: type[models.Model],
    rows: models.QuerySet,
    using: str,
    takes_with: frozenset = frozenset(),
) -> tuple[int, dict]:
    """Delete like QuerySet.delete(), refusing any cascade into a declared model
    other than those the rule takes with it."""
    collector = Collector(using=using, origin=rows)
    collector.collect(rows)
    reached = {m for m, instances in collector.data.items() if instances and m is not model}
    reached |= {
        qs.model
        for qs in collector.fast_deletes
        if qs.model is not model and declaration_for(qs.model) and qs.exists()
    }
    declared = sorted(
        m._meta.label
        for m in reached
        if declaration_for(m) is not None and m._meta.label not in takes_with
    )
    if declared:
        # _blocking_q should have kept these rows out: never delete them by accident.
        raise RetentionPurgeError(f"{model._meta.label}: delete would cascade into {declared}")
    _total, per_model = collector.delete()
    done = per_model.pop(model._meta.label, 0)
    return done, {label: count for label, count in per_model.items() if count}


def _record_anonymisation(rule: RetentionRule, line: RetentionRunLine) -> None:
    """The register Quebec's anonymisation regulation requires: purpose, date, method."""
    AnonymisationRecord.objects.get_or_create(
        line=line,
        defaults={
            "purpose": str(rule.reason),
            "fields": list(rule.anonymise_fields),
            "method": _(
                "Suppression définitive des valeurs des champs nommés (remplacées par NULL "
                "ou une chaîne vide) dans la base de données; la ligne est conservée sans "
                "ces renseignements."
            ),
        },
    )
