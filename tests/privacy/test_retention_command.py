"""manage.py purge_expired: what operators run and read."""

import pytest
from django.core.management import CommandError, call_command

from privacy.models import RetentionRun
from tests.factories import EnquiryFactory, VisitFactory, days_ago
from tests.retentionapp.models import Enquiry, Visit

pytestmark = pytest.mark.django_db


def test_the_command_purges_and_prints_counts_and_window_per_model(capsys):
    VisitFactory.create_batch(3, visited_at=days_ago(40))
    EnquiryFactory(closed_on=days_ago(400).date())
    call_command("purge_expired", "--batch-size", "2")
    out = capsys.readouterr().out
    assert not Visit.objects.exists()
    assert "retentionapp.Visit : suppression de 3 lignes; délai de 30 jours" in out
    assert "depuis « visited_at »" in out
    assert "retentionapp.Enquiry : anonymisation de 1 lignes; délai de 365 jours" in out
    # Progress (not a terminal: plain lines): done of total, share, rate.
    assert "retentionapp.Visit : 2 sur 3 lignes · 67 % ·" in out
    assert "retentionapp.Visit : 3 sur 3 lignes · 100 % ·" in out
    run = RetentionRun.objects.get()
    assert (run.started_by, run.batch_size, run.dry_run) == ("command", 2, False)


def test_dry_run_touches_nothing_and_says_so(capsys):
    VisitFactory.create_batch(2, visited_at=days_ago(40))
    enquiry = EnquiryFactory(closed_on=days_ago(400).date())
    call_command("purge_expired", "--dry-run")
    out = capsys.readouterr().out
    assert Visit.objects.count() == 2
    assert Enquiry.objects.get(pk=enquiry.pk).name == enquiry.name
    assert "Simulation : aucune donnée n’a été modifiée." in out
    assert "retentionapp.Visit : suppression (simulation) de 2 lignes" in out
    assert RetentionRun.objects.get().dry_run is True


def test_model_option_limits_the_purge_to_one_model(capsys):
    VisitFactory(visited_at=days_ago(40))
    EnquiryFactory(closed_on=days_ago(400).date())
    call_command("purge_expired", "--model", "retentionapp.Enquiry")
    out = capsys.readouterr().out
    assert Visit.objects.count() == 1
    assert "retentionapp.Visit" not in out
    assert "retentionapp.Enquiry" in out


def test_unknown_model_and_bad_batch_size_are_refused():
    with pytest.raises(CommandError, match=r"retentionapp\.Nothing"):
        call_command("purge_expired", "--model", "retentionapp.Nothing")
    with pytest.raises(CommandError, match="batch-size"):
        call_command("purge_expired", "--batch-size", "0")
    assert not RetentionRun.objects.exists()


def test_the_command_speaks_the_operators_language(capsys):
    VisitFactory.create_batch(3, visited_at=days_ago(40))
    call_command("purge_expired", "--batch-size", "2", "--language=en")
    out = capsys.readouterr().out
    assert "retentionapp.Visit: 3 of 3 rows · 100%" in out
