"""Retention rules from the data map, their checks, and legal holds."""

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.datamap.registry import Action, declaration_for
from privacy.models import LegalHold
from privacy.retention.api import (
    LegalHoldError,
    legal_hold_place,
    legal_hold_release,
    legal_holds_active,
    retention_rule_for,
    retention_rules,
)
from privacy.retention.rules import (
    RetentionRule,
    retention_rules_check,
    rule_errors,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def check_ids() -> list[str]:
    return [message.id for message in retention_rules_check()]


def test_rules_come_from_every_declaration_with_a_retention():
    labels = {rule.label for rule in retention_rules()}
    assert {"retentionapp.Visit", "retentionapp.Enquiry", "privacy.LegalHold"} <= labels
    visit = retention_rule_for("retentionapp.Visit")
    assert (visit.starts_from, visit.keep_for, visit.action) == (
        "visited_at",
        timedelta(days=30),
        Action.DELETE,
    )
    assert visit.holdable and not visit.overridden
    assert not retention_rule_for("retentionapp.PageCount").holdable  # reaches no account
    assert retention_rule_for("members.Association") is None  # no retention declared


def test_settings_override_the_length_and_say_so(settings):
    settings.PRIVACY_RETENTION = {"retentionapp.Visit": {"keep_for_days": 90}}
    visit = retention_rule_for("retentionapp.Visit")
    assert visit.keep_for == timedelta(days=90)
    assert visit.overridden
    assert check_ids() == []


def test_the_project_rules_pass_their_check():
    assert check_ids() == []


@pytest.mark.parametrize(
    ("override", "error"),
    [
        ({"retentionapp.Nothing": {"keep_for_days": 3}}, "privacy.E802"),
        ({"retentionapp.Visit": {"keep_for_days": 0}}, "privacy.E803"),
        ({"retentionapp.Visit": {"days": 3}}, "privacy.E803"),
    ],
)
def test_a_bad_override_fails_the_check(settings, override, error):
    settings.PRIVACY_RETENTION = override
    assert error in check_ids()


def rule_with(label: str, **changes) -> RetentionRule:
    declaration = declaration_for(label)
    retention = dataclasses.replace(declaration.retention, **changes)
    return RetentionRule(dataclasses.replace(declaration, retention=retention), retention.keep_for)


def test_rules_that_cannot_be_applied_safely_are_errors():
    assert rule_errors(rule_with("retentionapp.Enquiry")) == []
    not_personal = rule_errors(rule_with("retentionapp.Enquiry", anonymise_fields=("topic",)))
    assert any("not declared personal" in error for error in not_personal)
    unblankable = rule_errors(rule_with("retentionapp.Enquiry", anonymise_fields=("account",)))
    assert any("neither NULL nor an empty string" in error for error in unblankable)
    assert rule_errors(rule_with("retentionapp.Enquiry", anonymise_fields=()))
    assert rule_errors(rule_with("retentionapp.Visit", starts_from="page"))
    assert rule_errors(rule_with("retentionapp.Visit", starts_from="nowhere"))
    assert rule_errors(rule_with("retentionapp.Visit", keep_for=timedelta(0)))
    assert rule_errors(rule_with("retentionapp.Visit", anonymise_fields=("page",)))


def test_a_start_date_on_a_related_model_is_a_valid_rule():
    rule = rule_with("retentionapp.DossierNote", starts_from="dossier__closed_at")
    assert rule_errors(rule) == []
    assert not rule.starts_on_date


def test_a_date_field_start_is_compared_by_day():
    enquiry = retention_rule_for("retentionapp.Enquiry")
    assert enquiry.starts_on_date
    now = timezone.now()
    assert enquiry.cutoff_value(enquiry.cutoff(now)) == timezone.localdate(now) - timedelta(
        days=365
    )


def test_an_explicit_hold_needs_a_reason_and_an_end_in_the_future():
    member = UserFactory()
    with pytest.raises(LegalHoldError):
        legal_hold_place(subject=member, kind=LegalHold.Kind.EXPLICIT, reason="Litige")
    with pytest.raises(LegalHoldError):
        legal_hold_place(
            subject=member,
            kind=LegalHold.Kind.EXPLICIT,
            reason=" ",
            ends=timezone.now() + timedelta(days=1),
        )
    with pytest.raises(LegalHoldError):
        legal_hold_place(
            subject=member,
            kind=LegalHold.Kind.EXPLICIT,
            reason="Litige",
            ends=timezone.now() - timedelta(days=1),
        )
    assert not LegalHold.objects.exists()


def test_placing_a_hold_for_the_same_source_twice_keeps_one():
    member, staff = UserFactory(), UserFactory(is_staff=True)
    first = legal_hold_place(
        subject=member,
        kind=LegalHold.Kind.PRIVACY_REQUEST,
        reason="Demande de retrait",
        source_id="REQ-7",
        placed_by=staff,
    )
    again = legal_hold_place(
        subject=member, kind=LegalHold.Kind.PRIVACY_REQUEST, reason="Demande", source_id="REQ-7"
    )
    assert again.pk == first.pk
    assert list(legal_holds_active(subject=member)) == [first]
    assert first.placed_by == staff


def test_releasing_ends_the_hold_now_once():
    member = UserFactory()
    hold = legal_hold_place(
        subject=member, kind=LegalHold.Kind.RECOURSE, reason="Recours CAI", source_id="CAI-1"
    )
    assert legal_hold_release(kind=LegalHold.Kind.RECOURSE, source_id="CAI-1") == 1
    assert legal_hold_release(kind=LegalHold.Kind.RECOURSE, source_id="CAI-1") == 0
    hold.refresh_from_db()
    assert hold.released is not None
    assert hold.ends == hold.released
    assert not hold.in_force()
    assert not legal_holds_active(subject=member).exists()
    # A new hold for the same source may then be placed.
    again = legal_hold_place(
        subject=member, kind=LegalHold.Kind.RECOURSE, reason="Nouveau recours", source_id="CAI-1"
    )
    assert again.pk != hold.pk


def test_a_hold_whose_end_has_passed_is_no_longer_in_force():
    member = UserFactory()
    hold = legal_hold_place(
        subject=member,
        kind=LegalHold.Kind.EXPLICIT,
        reason="Vérification",
        ends=timezone.now() + timedelta(days=2),
    )
    assert hold.in_force()
    later = timezone.now() + timedelta(days=3)
    assert not hold.in_force(later)
    assert not LegalHold.objects.active(later).exists()
    assert legal_holds_active(subject=member).exists()
