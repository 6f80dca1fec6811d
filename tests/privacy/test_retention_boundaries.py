"""The purge at the edges: each window to the second (to the day for dates), partly
blank rows, resumed runs, batch bounds, cascades and legal holds, on a fixed clock.

Rows exactly at the cutoff have not outlived their window: they stay.

Why one module past 400 lines: every boundary of the purge on one fixed clock and
one set of fixtures (mutation testing runs this file against engine.py).
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from privacy.models import AnonymisationRecord, LegalHold, RetentionRun, RetentionRunLine
from privacy.retention import engine
from privacy.retention.api import (
    RetentionPurgeError,
    legal_hold_place,
    retention_purge,
    retention_purge_resume,
)
from privacy.retention.rules import retention_rules
from tests.factories import (
    DossierFactory,
    DossierNoteFactory,
    EnquiryFactory,
    PageCountFactory,
    UserFactory,
    VisitFactory,
)
from tests.retentionapp.models import (
    Dossier,
    DossierLink,
    DossierNote,
    DossierSeal,
    DossierStamp,
    Enquiry,
    NoteMark,
    PageCount,
    StampCopy,
    StampNote,
    Visit,
)

pytestmark = pytest.mark.django_db

# Noon in Montreal: the cutoff's local date is the same day in UTC and in Montreal.
NOW = datetime(2026, 6, 15, 16, 0, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
LONG_AGO = NOW - timedelta(days=10 * 365)


class Interrupted(Exception):
    """A worker killed between two batches."""


@pytest.fixture
def clock(monkeypatch):
    """Time stands at NOW (and moves only when a test says so) for the run and the rows."""
    state = {"now": NOW}

    def now():
        return state["now"]

    monkeypatch.setattr(timezone, "now", now)
    # Fields whose default is timezone.now itself, taken before the patch. Django keeps
    # the default's getter in a cached property: patch the getter, never ``default``.
    for model, name in ((RetentionRun, "started"), (LegalHold, "starts")):
        monkeypatch.setattr(model._meta.get_field(name), "_get_default", now)

    def move_to(moment: datetime) -> None:
        state["now"] = moment

    return move_to


def purge(**kwargs) -> RetentionRun:
    return retention_purge(started_by=RetentionRun.BY_COMMAND, **kwargs)


def line(run: RetentionRun, label: str) -> RetentionRunLine:
    return run.lines.get(model_label=label)


def rule(label: str):
    return next(r for r in retention_rules() if r.label == label)


def recent_dossier() -> Dossier:
    return DossierFactory(closed_at=NOW)


def stamp_note(written_at: datetime, dossier: Dossier | None = None) -> StampNote:
    stamp = DossierStamp.objects.create(dossier=dossier or recent_dossier(), stamped_at=NOW)
    return StampNote.objects.create(stamp=stamp, written_at=written_at, text="Appel reçu.")


# How to make a row of each declared model of the test app whose window starts at ``start``.
MAKERS = {
    "retentionapp.Visit": lambda start: VisitFactory(visited_at=start),
    "retentionapp.Enquiry": lambda start: EnquiryFactory(closed_on=start),
    "retentionapp.Dossier": lambda start: DossierFactory(closed_at=start),
    "retentionapp.DossierNote": lambda start: DossierNoteFactory(
        written_at=start, dossier=recent_dossier()
    ),
    "retentionapp.StampNote": stamp_note,
    "retentionapp.PageCount": lambda start: PageCountFactory(day=start),
}


def acted_on(label: str, row) -> bool:
    """Whether the purge deleted the row, or (anonymise rules) blanked it."""
    model = type(row)
    if rule(label).action == "anonymise":
        return model.objects.get(pk=row.pk).name == ""
    return not model.objects.filter(pk=row.pk).exists()


def test_every_rule_of_the_test_app_has_its_boundary_test():
    labels = {r.label for r in retention_rules() if r.label.startswith("retentionapp.")}
    assert labels == set(MAKERS)


@pytest.mark.parametrize("label", sorted(MAKERS))
def test_a_row_is_purged_one_step_past_its_cutoff_and_kept_at_it(label, clock):
    """One second before the cutoff (a day, for a date), at it, and after it."""
    the_rule = rule(label)
    boundary = the_rule.cutoff_value(NOW - the_rule.keep_for)
    step = timedelta(days=1) if the_rule.starts_on_date else SECOND
    before, at, after = (MAKERS[label](boundary + offset) for offset in (-step, 0 * step, step))

    run = purge(model_label=label)

    assert acted_on(label, before)
    assert not acted_on(label, at)
    assert not acted_on(label, after)
    purge_line = line(run, label)
    assert purge_line.cutoff == NOW - the_rule.keep_for
    assert (purge_line.count, purge_line.held, purge_line.blocked) == (1, 0, 0)
    assert purge_line.deferred == 0


@pytest.mark.parametrize("rule_of", retention_rules(), ids=lambda r: r.label)
def test_every_declared_window_selects_rows_strictly_before_its_cutoff(rule_of, clock):
    """Each rule of the project (members, coverage, privacy too) filters ``start < cutoff``."""
    purge_line = RetentionRunLine(cutoff=rule_of.cutoff(NOW))
    expired = engine._expired(rule_of, purge_line)
    lookups = [child for child in expired.query.where.children if hasattr(child, "lookup_name")]
    # The window's own condition; a rule may add others (only_if), never on the window.
    cutoff = rule_of.cutoff_value(NOW - rule_of.keep_for)
    on_window = [(lookup.lookup_name, lookup.rhs) for lookup in lookups if lookup.rhs == cutoff]
    assert on_window == [("lt", cutoff)]


def test_a_window_shortened_in_settings_has_the_same_boundary(settings, clock):
    settings.PRIVACY_RETENTION = {"retentionapp.Visit": {"keep_for_days": 10}}
    cutoff = NOW - timedelta(days=10)
    before, at = VisitFactory(visited_at=cutoff - SECOND), VisitFactory(visited_at=cutoff)
    purge(model_label="retentionapp.Visit")
    assert list(Visit.objects.all()) == [at]
    assert not Visit.objects.filter(pk=before.pk).exists()


# --- Anonymisation -------------------------------------------------------------------

BLANK = {"name": "", "phone": None, "body": "", "email": None}


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "Camille"), ("phone", "514-555-0199"), ("body", "Ma carte"), ("email", "c@ex.org")],
)
def test_a_row_holding_a_value_in_only_one_field_is_anonymised(field, value, clock):
    old = (NOW - timedelta(days=400)).date()
    partly = EnquiryFactory(closed_on=old, **{**BLANK, field: value})
    EnquiryFactory(closed_on=old, **BLANK)  # nothing left to blank: not counted

    run = purge(model_label="retentionapp.Enquiry")

    after = Enquiry.objects.filter(pk=partly.pk).values(*BLANK, "email_index").get()
    assert {name: after[name] for name in BLANK} == BLANK
    assert after["email_index"] is None
    assert line(run, "retentionapp.Enquiry").count == 1
    assert AnonymisationRecord.objects.filter(line__run=run).count() == 1


def test_a_fully_blank_row_is_not_anonymised_again(clock):
    EnquiryFactory(closed_on=(NOW - timedelta(days=400)).date(), **BLANK)
    run = purge(model_label="retentionapp.Enquiry")
    assert line(run, "retentionapp.Enquiry").count == 0
    assert not AnonymisationRecord.objects.exists()


# --- Batches and resumed runs -----------------------------------------------------------


def batches(**kwargs) -> tuple[RetentionRun, list[int]]:
    done = []
    run = purge(progress=lambda purge_line, count: done.append(count), **kwargs)
    return run, done


def test_every_batch_is_bounded_when_rows_share_one_start(clock):
    VisitFactory.create_batch(10, visited_at=NOW - timedelta(days=40))
    run, done = batches(model_label="retentionapp.Visit", batch_size=3)
    assert done == [3, 3, 3, 1]
    assert not Visit.objects.exists()
    assert line(run, "retentionapp.Visit").count == 10
    assert line(run, "retentionapp.Visit").deferred == 0


def test_every_batch_is_bounded_when_rows_start_apart(clock):
    keeper = VisitFactory(visited_at=NOW - timedelta(days=1))
    for day in range(7):
        VisitFactory(visited_at=NOW - timedelta(days=40 + day))
    run, done = batches(model_label="retentionapp.Visit", batch_size=2)
    assert done == [2, 2, 2, 1]
    assert line(run, "retentionapp.Visit").deferred == 0
    assert list(Visit.objects.all()) == [keeper]


def test_every_anonymisation_batch_is_bounded(clock):
    EnquiryFactory.create_batch(5, closed_on=(NOW - timedelta(days=400)).date())
    run, done = batches(model_label="retentionapp.Enquiry", batch_size=2)
    assert done == [2, 2, 1]
    assert line(run, "retentionapp.Enquiry").deferred == 0
    assert set(Enquiry.objects.values_list("name", flat=True)) == {""}


def test_the_default_batch_size_comes_from_settings(settings, clock):
    settings.PRIVACY_PURGE_BATCH_SIZE = 4
    VisitFactory.create_batch(6, visited_at=NOW - timedelta(days=40))
    run, done = batches(model_label="retentionapp.Visit")
    assert run.batch_size == 4
    assert done == [4, 2]


def test_resuming_a_model_run_purges_only_that_model_with_its_batch_size(clock):
    old = NOW - timedelta(days=400)
    VisitFactory.create_batch(5, visited_at=old)
    other_model = [PageCountFactory(day=old.date()), EnquiryFactory(closed_on=old.date())]

    def killed(purge_line, count):
        raise Interrupted

    with pytest.raises(Interrupted):
        purge(model_label="retentionapp.Visit", batch_size=2, progress=killed)
    run = RetentionRun.objects.get()
    assert Visit.objects.count() == 3

    done = []
    resumed = retention_purge_resume(
        run_id=run.pk, progress=lambda purge_line, count: done.append(count)
    )

    assert resumed.status == RetentionRun.Status.FINISHED
    assert list(resumed.lines.values_list("model_label", flat=True)) == ["retentionapp.Visit"]
    assert done == [2, 1]
    assert not Visit.objects.exists()
    assert PageCount.objects.filter(pk=other_model[0].pk).exists()
    assert Enquiry.objects.get(pk=other_model[1].pk).name == other_model[1].name


def test_a_resumed_run_keeps_the_cutoff_it_started_with(clock):
    first = VisitFactory(visited_at=NOW - timedelta(days=30) - SECOND)
    second = VisitFactory(visited_at=NOW - timedelta(days=30) + timedelta(hours=1))

    def killed(purge_line, count):
        raise Interrupted

    with pytest.raises(Interrupted):
        purge(model_label="retentionapp.Visit", batch_size=1, progress=killed)
    clock(NOW + timedelta(days=1))  # resumed a day later: ``second`` is now past 30 days
    run = retention_purge_resume(run_id=RetentionRun.objects.get().pk)

    assert line(run, "retentionapp.Visit").cutoff == NOW - timedelta(days=30)
    assert not Visit.objects.filter(pk=first.pk).exists()
    assert Visit.objects.filter(pk=second.pk).exists()
    assert run.finished == NOW + timedelta(days=1)


def test_a_finished_line_is_not_run_again_when_its_run_resumes(clock):
    """Lines run in label order: Enquiry's is done when Visit's is interrupted."""
    old = NOW - timedelta(days=400)
    EnquiryFactory(closed_on=old.date())
    visit = VisitFactory(visited_at=old)

    def killed_on_visits(purge_line, count):
        if purge_line.model_label == "retentionapp.Visit":
            raise Interrupted

    with pytest.raises(Interrupted):
        purge(progress=killed_on_visits, batch_size=1)
    run = RetentionRun.objects.get()
    enquiry_line = line(run, "retentionapp.Enquiry")
    assert enquiry_line.finished and enquiry_line.count == 1
    late = EnquiryFactory(closed_on=old.date())  # arrives after the Enquiry line closed

    retention_purge_resume(run_id=run.pk)

    assert line(run, "retentionapp.Enquiry").count == 1
    assert Enquiry.objects.get(pk=late.pk).name == late.name
    assert not Visit.objects.filter(pk=visit.pk).exists()


def test_windows_move_past_held_rows_and_never_take_one_twice(clock):
    held = UserFactory()
    start = NOW - timedelta(days=40)
    for minute in range(3):
        VisitFactory(account=held, visited_at=start - timedelta(minutes=10 - minute))
    free = [VisitFactory(visited_at=start + timedelta(minutes=minute)) for minute in range(3)]
    hold(held)

    run, done = batches(model_label="retentionapp.Visit", batch_size=2)

    # Windows of two rows in (start, pk) order: [held, held], [held, free], [free, free], [].
    assert done == [0, 1, 2, 0]
    assert Visit.objects.filter(account=held).count() == 3
    assert not Visit.objects.filter(pk__in=[visit.pk for visit in free]).exists()
    visit_line = line(run, "retentionapp.Visit")
    assert (visit_line.count, visit_line.held, visit_line.deferred) == (3, 3, 0)


def test_a_time_budget_spent_to_the_instant_pauses_the_run(clock, monkeypatch):
    VisitFactory.create_batch(3, visited_at=NOW - timedelta(days=40))
    monkeypatch.setattr(engine.time, "monotonic", lambda: 1000.0)  # time stands still
    run = purge(model_label="retentionapp.Visit", batch_size=1, time_budget=0)
    assert run.status == RetentionRun.Status.PAUSED
    assert Visit.objects.count() == 2


def test_a_resumed_run_keeps_to_its_time_budget_and_pauses_on_request(clock):
    VisitFactory.create_batch(6, visited_at=NOW - timedelta(days=40))

    def killed(purge_line, count):
        raise Interrupted

    with pytest.raises(Interrupted):
        purge(model_label="retentionapp.Visit", batch_size=1, progress=killed)
    run_id = RetentionRun.objects.get().pk

    paused = retention_purge_resume(run_id=run_id, time_budget=0)
    assert paused.status == RetentionRun.Status.PAUSED
    assert Visit.objects.count() == 4

    paused = retention_purge_resume(run_id=run_id, pause_on=(Interrupted,), progress=killed)
    assert paused.status == RetentionRun.Status.PAUSED
    assert Visit.objects.count() == 3

    finished = retention_purge_resume(run_id=run_id)
    assert finished.status == RetentionRun.Status.FINISHED
    assert not Visit.objects.exists()
    assert line(finished, "retentionapp.Visit").count == 6


def test_the_anonymisation_register_says_how_in_words(clock):
    EnquiryFactory(closed_on=(NOW - timedelta(days=400)).date())
    run = purge(model_label="retentionapp.Enquiry")
    assert AnonymisationRecord.objects.get(line__run=run).method == (
        "Suppression définitive des valeurs des champs nommés (remplacées par NULL ou une "
        "chaîne vide) dans la base de données; la ligne est conservée sans ces renseignements."
    )


# --- Cascades ----------------------------------------------------------------------------


def test_a_cascade_two_hops_into_a_declared_model_is_refused(clock):
    old = NOW - timedelta(days=100)
    kept = DossierFactory(closed_at=old)
    note = stamp_note(NOW, dossier=kept)  # Dossier -> DossierStamp -> StampNote (declared)
    bare = DossierFactory(closed_at=old)
    stamp = DossierStamp.objects.create(dossier=bare, stamped_at=old)
    original = StampCopy.objects.create(stamp=stamp)
    StampCopy.objects.create(stamp=stamp, original=original)

    run = purge(model_label="retentionapp.Dossier")

    dossier_line = line(run, "retentionapp.Dossier")
    assert list(Dossier.objects.all()) == [kept]
    assert StampNote.objects.get() == note
    assert (dossier_line.count, dossier_line.blocked) == (1, 1)
    # Undeclared rows go with their dossier, through a self-reference too.
    assert not StampCopy.objects.exists()
    assert dossier_line.cascaded == {"retentionapp.DossierStamp": 1, "retentionapp.StampCopy": 2}


def test_a_set_null_link_neither_blocks_nor_hides_the_relations_after_it(clock):
    linked = DossierFactory(closed_at=NOW - timedelta(days=100))
    link = DossierLink.objects.create(dossier=linked)
    noted = DossierFactory(closed_at=NOW - timedelta(days=100))
    DossierLink.objects.create(dossier=noted)
    DossierNoteFactory(dossier=noted, written_at=NOW)

    run = purge(model_label="retentionapp.Dossier")

    assert list(Dossier.objects.all()) == [noted]
    link.refresh_from_db()
    assert link.dossier is None
    dossier_line = line(run, "retentionapp.Dossier")
    assert (dossier_line.count, dossier_line.blocked) == (1, 1)


def test_a_protected_row_blocks_its_dossier_which_is_left_and_counted(clock):
    sealed = DossierFactory(closed_at=NOW - timedelta(days=100))
    DossierSeal.objects.create(dossier=sealed)
    free = DossierFactory(closed_at=NOW - timedelta(days=100))

    run = purge(model_label="retentionapp.Dossier")

    assert run.status == RetentionRun.Status.FINISHED
    assert list(Dossier.objects.all()) == [sealed]
    assert not Dossier.objects.filter(pk=free.pk).exists()
    dossier_line = line(run, "retentionapp.Dossier")
    assert (dossier_line.count, dossier_line.blocked) == (1, 1)


@pytest.mark.parametrize("hops", ["direct", "two hops"])
def test_the_delete_itself_refuses_a_cascade_into_a_declared_model(hops, clock, monkeypatch):
    """Were the blocking query to miss a relation, the delete still refuses, and rolls back."""
    monkeypatch.setattr(engine, "_blocking_q", lambda model, seen=frozenset(), **kwargs: None)
    dossier = DossierFactory(closed_at=NOW - timedelta(days=100))
    if hops == "direct":
        # With a child of its own, the note is collected row by row (no fast delete).
        NoteMark.objects.create(note=DossierNoteFactory(dossier=dossier, written_at=NOW))
        declared = "retentionapp.DossierNote"
    else:
        stamp_note(NOW, dossier=dossier)
        declared = "retentionapp.StampNote"

    with pytest.raises(RetentionPurgeError, match=declared):
        purge(model_label="retentionapp.Dossier")

    assert Dossier.objects.filter(pk=dossier.pk).exists()
    assert DossierNote.objects.count() + StampNote.objects.count() == 1
    assert DossierStamp.objects.count() == (1 if hops == "two hops" else 0)
    run = RetentionRun.objects.get()
    assert run.status == RetentionRun.Status.INTERRUPTED
    assert line(run, "retentionapp.Dossier").count == 0


# --- Legal holds -------------------------------------------------------------------------


def hold(member, *, ends=None) -> LegalHold:
    return legal_hold_place(
        subject=member,
        kind=LegalHold.Kind.EXPLICIT,
        reason="Recours devant la Commission",
        ends=ends or NOW + timedelta(days=30),
    )


def test_a_hold_keeps_rows_to_its_last_second_and_not_after(clock):
    member = UserFactory()
    visit = VisitFactory(account=member, visited_at=NOW - timedelta(days=40))
    the_hold = hold(member, ends=NOW + SECOND)

    assert line(purge(model_label="retentionapp.Visit"), "retentionapp.Visit").held == 1
    assert Visit.objects.filter(pk=visit.pk).exists()

    LegalHold.objects.filter(pk=the_hold.pk).update(ends=NOW)  # ends now: no longer in force
    run = purge(model_label="retentionapp.Visit")
    assert not Visit.objects.exists()
    assert line(run, "retentionapp.Visit").held == 0


def test_a_hold_starting_later_does_not_keep_rows_now(clock):
    member = UserFactory()
    VisitFactory(account=member, visited_at=NOW - timedelta(days=40))
    the_hold = hold(member)
    LegalHold.objects.filter(pk=the_hold.pk).update(starts=NOW + SECOND)
    purge(model_label="retentionapp.Visit")
    assert not Visit.objects.exists()


def test_a_hold_keeps_its_subjects_rows_through_a_two_hop_path_and_in_anonymisation(clock):
    held, free = UserFactory(), UserFactory()
    kept_note = stamp_note(LONG_AGO, dossier=DossierFactory(account=held, closed_at=NOW))
    stamp_note(LONG_AGO, dossier=DossierFactory(account=free, closed_at=NOW))
    kept_enquiry = EnquiryFactory(account=held, closed_on=(NOW - timedelta(days=400)).date())
    EnquiryFactory(account=free, closed_on=(NOW - timedelta(days=400)).date())
    hold(held)

    run = purge()

    assert list(StampNote.objects.all()) == [kept_note]
    note_line = line(run, "retentionapp.StampNote")
    assert (note_line.count, note_line.held) == (1, 1)
    assert Enquiry.objects.get(pk=kept_enquiry.pk).name == kept_enquiry.name
    enquiry_line = line(run, "retentionapp.Enquiry")
    assert (enquiry_line.count, enquiry_line.held, enquiry_line.deferred) == (1, 1, 0)


def test_a_dry_run_counts_held_and_blocked_rows_at_the_boundary_and_changes_nothing(clock):
    member = UserFactory()
    boundary = NOW - timedelta(days=30)
    VisitFactory(account=member, visited_at=boundary - SECOND)
    VisitFactory(visited_at=boundary - SECOND)
    VisitFactory(visited_at=boundary)
    hold(member)

    dry = purge(model_label="retentionapp.Visit", dry_run=True)

    visit_line = line(dry, "retentionapp.Visit")
    assert (visit_line.count, visit_line.held, visit_line.blocked) == (1, 1, 0)
    assert visit_line.finished
    assert Visit.objects.count() == 3
