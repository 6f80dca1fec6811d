"""The retention purge engine, proven on the tests-only app (tests/retentionapp).

Why one module past 400 lines: one engine, one fixture set (the retentionapp
models); its edge cases live beside it in test_retention_boundaries.py.
"""

import json
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import serializers
from django.db import connection

from privacy.models import AnonymisationRecord, LegalHold, RetentionRun, RetentionRunLine
from privacy.retention.api import (
    RetentionPurgeBusy,
    RetentionPurgeError,
    legal_hold_place,
    legal_hold_release,
    retention_purge,
    retention_purge_resume,
)
from privacy.retention.engine import purge_lock
from tests.factories import (
    DossierFactory,
    DossierNoteFactory,
    EnquiryFactory,
    PageCountFactory,
    UserFactory,
    VisitFactory,
    days_ago,
)
from tests.retentionapp.models import Dossier, DossierNote, DossierStamp, Enquiry, PageCount, Visit

pytestmark = pytest.mark.django_db


class Interrupted(Exception):
    """Stands for a worker killed or a database gone between two batches."""


def purge(**kwargs) -> RetentionRun:
    return retention_purge(started_by=RetentionRun.BY_COMMAND, **kwargs)


def line(run: RetentionRun, label: str) -> RetentionRunLine:
    return run.lines.get(model_label=label)


def snapshot() -> str:
    models = (Visit, Enquiry, Dossier, DossierNote, DossierStamp, PageCount)
    return "".join(serializers.serialize("json", model.objects.order_by("pk")) for model in models)


def test_only_rows_past_their_window_are_touched():
    old_visit = VisitFactory(visited_at=days_ago(31))
    recent_visit = VisitFactory(visited_at=days_ago(29))
    old_enquiry = EnquiryFactory(closed_on=days_ago(367).date())
    recent_enquiry = EnquiryFactory(closed_on=days_ago(363).date())
    open_enquiry = EnquiryFactory(closed_on=None)
    old_count = PageCountFactory(day=days_ago(9).date())
    recent_count = PageCountFactory(day=days_ago(5).date())

    run = purge()

    assert run.status == RetentionRun.Status.FINISHED
    assert list(Visit.objects.all()) == [recent_visit]
    assert list(PageCount.objects.all()) == [recent_count]
    assert not Visit.objects.filter(pk=old_visit.pk).exists()
    assert not PageCount.objects.filter(pk=old_count.pk).exists()
    old_enquiry.refresh_from_db()
    assert old_enquiry.name == ""
    for untouched in (recent_enquiry, open_enquiry):
        assert Enquiry.objects.get(pk=untouched.pk).name == untouched.name
    assert line(run, "retentionapp.Visit").count == 1
    assert line(run, "retentionapp.Enquiry").count == 1
    assert line(run, "retentionapp.PageCount").count == 1


def test_the_window_is_measured_from_the_run_start_and_recorded_on_its_line():
    VisitFactory(visited_at=days_ago(30) + timedelta(minutes=5))
    run = purge(model_label="retentionapp.Visit")
    visit_line = line(run, "retentionapp.Visit")
    assert visit_line.count == 0
    assert Visit.objects.count() == 1
    assert visit_line.window == timedelta(days=30)
    assert visit_line.starts_from == "visited_at"
    assert visit_line.cutoff == run.started - timedelta(days=30)


def test_held_rows_survive_until_the_hold_ends():
    held_member, other = UserFactory(), UserFactory()
    held_visit = VisitFactory(account=held_member, visited_at=days_ago(40))
    held_note = DossierNoteFactory(
        dossier__account=held_member, written_at=days_ago(6 * 365), dossier__closed_at=days_ago(1)
    )
    VisitFactory(account=other, visited_at=days_ago(40))
    hold = legal_hold_place(
        subject=held_member,
        kind=LegalHold.Kind.EXPLICIT,
        reason="Recours devant la Commission",
        ends=days_ago(-10),
    )

    run = purge()

    assert list(Visit.objects.all()) == [held_visit]
    assert list(DossierNote.objects.all()) == [held_note]
    assert line(run, "retentionapp.Visit").held == 1
    assert line(run, "retentionapp.DossierNote").held == 1

    # The hold's end date passes: the next purge takes the rows.
    LegalHold.objects.filter(pk=hold.pk).update(starts=days_ago(20), ends=days_ago(1))
    purge()
    assert not Visit.objects.exists()
    assert not DossierNote.objects.exists()


def test_a_released_hold_no_longer_keeps_rows():
    member = UserFactory()
    VisitFactory(account=member, visited_at=days_ago(40))
    legal_hold_place(
        subject=member,
        kind=LegalHold.Kind.PRIVACY_REQUEST,
        reason="Demande d’accès ouverte",
        source_id="REQ-1",
    )
    purge()
    assert Visit.objects.count() == 1

    assert legal_hold_release(kind=LegalHold.Kind.PRIVACY_REQUEST, source_id="REQ-1") == 1
    purge()
    assert not Visit.objects.exists()


def test_a_hold_cannot_keep_rows_that_reach_no_account():
    PageCountFactory(day=days_ago(30).date())
    legal_hold_place(
        subject=UserFactory(), kind=LegalHold.Kind.RECOURSE, reason="Recours", source_id="R-1"
    )
    run = purge(model_label="retentionapp.PageCount")
    assert not PageCount.objects.exists()
    assert line(run, "retentionapp.PageCount").held == 0


def test_anonymise_keeps_the_row_and_blanks_exactly_the_named_fields():
    enquiry = EnquiryFactory(closed_on=days_ago(400).date(), topic="card")
    before = Enquiry.objects.filter(pk=enquiry.pk).values().get()

    run = purge(model_label="retentionapp.Enquiry")

    after = Enquiry.objects.filter(pk=enquiry.pk).values().get()
    changed = {name for name in before if before[name] != after[name]}
    # The encrypted email is set to NULL, and its blind index with it.
    assert changed == {"name", "phone", "body", "email", "email_index"}
    assert before["email_index"] is not None
    assert (after["name"], after["phone"], after["body"]) == ("", None, "")
    assert (after["email"], after["email_index"]) == (None, None)
    assert after["topic"] == "card"
    assert after["account_id"] == before["account_id"]
    assert after["closed_on"] == before["closed_on"]
    record = AnonymisationRecord.objects.get(line__run=run)
    assert record.fields == ["name", "phone", "body", "email"]
    assert record.purpose == "Statistiques des sujets de demandes"
    assert record.method
    assert record.performed.date() == run.started.date()


def test_an_anonymised_row_is_not_counted_again():
    EnquiryFactory(closed_on=days_ago(400).date())
    assert line(purge(), "retentionapp.Enquiry").count == 1
    second = purge()
    assert line(second, "retentionapp.Enquiry").count == 0
    assert not AnonymisationRecord.objects.filter(line__run=second).exists()


def test_a_rerun_after_an_interruption_between_batches_completes_and_a_third_changes_nothing():
    VisitFactory.create_batch(25, visited_at=days_ago(40))
    EnquiryFactory.create_batch(5, closed_on=days_ago(400).date())
    keeper = VisitFactory(visited_at=days_ago(2))

    def killed_after_first_visit_batch(line, done):
        if done and line.model_label == "retentionapp.Visit":
            raise Interrupted

    with pytest.raises(Interrupted):
        purge(batch_size=10, progress=killed_after_first_visit_batch)
    interrupted = RetentionRun.objects.get()
    assert interrupted.status == RetentionRun.Status.INTERRUPTED
    assert Visit.objects.count() == 25 - 10 + 1
    # The ledger counts exactly what the committed batch destroyed.
    assert line(interrupted, "retentionapp.Visit").count == 10

    second = purge(batch_size=10)
    assert second.status == RetentionRun.Status.FINISHED
    assert line(second, "retentionapp.Visit").count == 15
    # Enquiries were all anonymised before the interruption: nothing left for them.
    assert line(interrupted, "retentionapp.Enquiry").count == 5
    assert line(second, "retentionapp.Enquiry").count == 0
    assert list(Visit.objects.all()) == [keeper]
    state = snapshot()

    third = purge(batch_size=10)
    assert snapshot() == state
    assert sum(third.lines.values_list("count", flat=True)) == 0


def test_an_interrupted_run_resumed_by_id_finishes_the_same_ledger():
    VisitFactory.create_batch(12, visited_at=days_ago(40))

    def killed(line, done):
        if done:
            raise Interrupted

    with pytest.raises(Interrupted):
        purge(batch_size=5, progress=killed)
    run = RetentionRun.objects.get()
    resumed = retention_purge_resume(run_id=run.pk)
    assert resumed.pk == run.pk
    assert resumed.status == RetentionRun.Status.FINISHED
    assert line(resumed, "retentionapp.Visit").count == 12
    assert not Visit.objects.exists()
    # Resuming a finished run does nothing.
    assert retention_purge_resume(run_id=run.pk).status == RetentionRun.Status.FINISHED


def test_an_interruption_inside_a_batch_leaves_no_half_processed_row():
    VisitFactory.create_batch(6, visited_at=days_ago(40))
    deleted = []

    def database_gone_before_the_ledger_is_written(execute, sql, params, many, context):
        if sql.startswith('UPDATE "privacy_retentionrunline" SET "count"'):
            raise Interrupted
        result = execute(sql, params, many, context)
        if sql.startswith('DELETE FROM "retentionapp_visit"'):
            deleted.append(context["cursor"].rowcount)
        return result

    with (
        connection.execute_wrapper(database_gone_before_the_ledger_is_written),
        pytest.raises(Interrupted),
    ):
        purge(batch_size=4, model_label="retentionapp.Visit")
    # The batch's DELETE ran, then the transaction died: nothing of it remains.
    assert deleted == [4]
    assert Visit.objects.count() == 6
    assert line(RetentionRun.objects.get(), "retentionapp.Visit").count == 0


def test_a_soft_time_limit_pauses_the_run_and_a_resume_finishes_it():
    VisitFactory.create_batch(9, visited_at=days_ago(40))
    deletes = []

    def time_runs_out_on_the_second_delete(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("DELETE") and "retentionapp_visit" in sql:
            deletes.append(sql)
            if len(deletes) == 2:
                raise SoftTimeLimitExceeded
        return execute(sql, params, many, context)

    with connection.execute_wrapper(time_runs_out_on_the_second_delete):
        run = purge(batch_size=4, pause_on=(SoftTimeLimitExceeded,))
    assert run.status == RetentionRun.Status.PAUSED
    assert Visit.objects.count() == 5
    assert line(run, "retentionapp.Visit").count == 4

    run = retention_purge_resume(run_id=run.pk)
    assert run.status == RetentionRun.Status.FINISHED
    assert line(run, "retentionapp.Visit").count == 9


def test_a_time_budget_pauses_between_batches():
    VisitFactory.create_batch(7, visited_at=days_ago(40))
    run = purge(batch_size=3, time_budget=0, model_label="retentionapp.Visit")
    assert run.status == RetentionRun.Status.PAUSED
    assert Visit.objects.count() == 4


def test_dry_run_changes_nothing_and_counts_what_a_real_run_does():
    VisitFactory.create_batch(3, visited_at=days_ago(40))
    VisitFactory(visited_at=days_ago(1))
    EnquiryFactory.create_batch(2, closed_on=days_ago(400).date())
    DossierNoteFactory(dossier__closed_at=days_ago(100))
    state = snapshot()

    dry = purge(dry_run=True)

    assert snapshot() == state
    assert dry.dry_run is True
    assert not AnonymisationRecord.objects.exists()
    real = purge()
    for label in ("retentionapp.Visit", "retentionapp.Enquiry", "retentionapp.Dossier"):
        simulated, done = line(dry, label), line(real, label)
        assert (simulated.count, simulated.blocked) == (done.count, done.blocked)
    assert line(dry, "retentionapp.Visit").count == 3
    assert line(dry, "retentionapp.Dossier").blocked == 1


def test_deleting_never_cascades_into_a_model_with_its_own_rule():
    with_note = DossierFactory(closed_at=days_ago(100))
    note = DossierNoteFactory(dossier=with_note, written_at=days_ago(100))
    bare = DossierFactory(closed_at=days_ago(100))
    DossierStamp.objects.create(dossier=bare, stamped_at=days_ago(100))

    run = purge()

    dossier_line = line(run, "retentionapp.Dossier")
    assert list(Dossier.objects.all()) == [with_note]
    assert list(DossierNote.objects.all()) == [note]
    assert dossier_line.count == 1
    assert dossier_line.blocked == 1
    # An undeclared child goes with its parent, and the ledger says so.
    assert not DossierStamp.objects.exists()
    assert dossier_line.cascaded == {"retentionapp.DossierStamp": 1}


def test_the_ledger_holds_counts_and_no_personal_value():
    member = UserFactory(email="camille.tremblay@example.org")
    visits = VisitFactory.create_batch(2, account=member, visited_at=days_ago(40))
    enquiry = EnquiryFactory(
        account=member,
        closed_on=days_ago(400).date(),
        name="Camille Tremblay",
        phone="514-555-0142",
        body="Mon dentiste refuse ma carte",
        email="camille.contact@example.org",
    )
    personal_values = [
        member.email,
        enquiry.email,
        str(member.pk),
        enquiry.name,
        enquiry.phone,
        enquiry.body,
        *(visit.page for visit in visits),
        *(str(visit.pk) for visit in visits),
        str(enquiry.pk),
    ]

    run = purge()

    ledger = json.loads(serializers.serialize("json", RetentionRun.objects.all())) + json.loads(
        serializers.serialize(
            "json", [*RetentionRunLine.objects.all(), *AnonymisationRecord.objects.all()]
        )
    )
    text = json.dumps(ledger, ensure_ascii=False)
    for value in personal_values:
        assert value not in text
    assert line(run, "retentionapp.Visit").count == 2
    assert line(run, "retentionapp.Enquiry").count == 1


def test_a_purge_never_runs_twice_at_once():
    VisitFactory(visited_at=days_ago(40))
    with purge_lock(), pytest.raises(RetentionPurgeBusy):
        purge()
    assert Visit.objects.count() == 1
    assert not RetentionRun.objects.exists()
    purge()
    assert not Visit.objects.exists()


def test_a_run_left_running_by_a_killed_process_is_marked_interrupted():
    stale = RetentionRun.objects.create(started_by="beat", batch_size=10)
    purge()
    stale.refresh_from_db()
    assert stale.status == RetentionRun.Status.INTERRUPTED
    assert stale.finished is not None


def test_model_option_purges_only_that_model_and_unknown_labels_are_refused():
    VisitFactory(visited_at=days_ago(40))
    PageCountFactory(day=days_ago(30).date())
    run = purge(model_label="retentionapp.PageCount")
    assert list(run.lines.values_list("model_label", flat=True)) == ["retentionapp.PageCount"]
    assert Visit.objects.count() == 1
    with pytest.raises(RetentionPurgeError):
        purge(model_label="retentionapp.Nothing")


def test_settings_override_the_window_of_a_model(settings):
    settings.PRIVACY_RETENTION = {"retentionapp.Visit": {"keep_for_days": 10}}
    VisitFactory(visited_at=days_ago(11))
    VisitFactory(visited_at=days_ago(9))
    run = purge(model_label="retentionapp.Visit")
    assert Visit.objects.count() == 1
    assert line(run, "retentionapp.Visit").window == timedelta(days=10)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_rows_locked_by_another_transaction_are_skipped_and_taken_next_run():
    import threading

    from django.db import connections, transaction

    visits = VisitFactory.create_batch(6, visited_at=days_ago(40))
    locked_pks = [visits[0].pk, visits[1].pk]
    locked, release = threading.Event(), threading.Event()

    def hold_row_locks():
        try:
            with transaction.atomic():
                list(Visit.objects.select_for_update().filter(pk__in=locked_pks))
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    other = threading.Thread(target=hold_row_locks)
    other.start()
    try:
        assert locked.wait(timeout=10)
        run = purge(batch_size=2, model_label="retentionapp.Visit")
    finally:
        release.set()
        other.join()
    assert set(Visit.objects.values_list("pk", flat=True)) == set(locked_pks)
    visit_line = line(run, "retentionapp.Visit")
    assert (visit_line.count, visit_line.deferred) == (4, 2)

    purge(model_label="retentionapp.Visit")
    assert not Visit.objects.exists()
