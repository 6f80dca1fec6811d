"""What the privacy officer sees in admin: runs (read-only), rules, anonymisations, holds."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy import roles
from privacy.models import LegalHold, RetentionRun
from privacy.retention.api import legal_hold_place, retention_purge
from tests.factories import (
    EnquiryFactory,
    MemberFactory,
    UserFactory,
    VisitFactory,
    days_ago,
)
from tests.retentionapp.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, staff_in_role):
    user = staff_in_role(roles.PRIVACY_OFFICER)
    client.force_login(user)
    return user


def test_the_officer_reads_runs_but_cannot_add_change_or_delete_them(client, officer):
    VisitFactory.create_batch(2, visited_at=days_ago(40))
    run = retention_purge(started_by="command", dry_run=True)
    listing = client.get(reverse("admin:privacy_retentionrun_changelist"))
    assert listing.status_code == 200
    detail = client.get(reverse("admin:privacy_retentionrun_change", args=[run.pk]))
    assert detail.status_code == 200
    content = detail.content.decode()
    # The model by what staff call its rows, not by its label.
    assert "retentionapp.Visit" not in content
    assert str(Visit._meta.verbose_name_plural) in content
    assert 'name="_save"' not in content
    assert client.get(reverse("admin:privacy_retentionrun_add")).status_code == 403
    delete = client.post(
        reverse("admin:privacy_retentionrun_delete", args=[run.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert RetentionRun.objects.filter(pk=run.pk).exists()


def test_the_officer_sees_the_effective_rules_with_overrides(client, officer, settings):
    settings.PRIVACY_RETENTION = {"retentionapp.Visit": {"keep_for_days": 45}}
    response = client.get(reverse("admin:privacy_retentionrun_rules"))
    assert response.status_code == 200
    rows = {item["rule"].label: item for item in response.context["rules"]}
    assert rows["retentionapp.Visit"]["days"] == 45
    assert rows["retentionapp.Visit"]["declared_days"] == 30
    assert rows["retentionapp.Enquiry"]["rule"].anonymise_fields == (
        "name",
        "phone",
        "body",
        "email",
    )
    content = response.content.decode()
    assert "retentionapp.Visit" in content
    assert "(remplace 30 dans la cartographie)" in content


def test_the_operator_reads_runs_and_rules_but_not_holds(client, staff_in_role):
    client.force_login(staff_in_role(roles.OPERATOR))
    assert client.get(reverse("admin:privacy_retentionrun_changelist")).status_code == 200
    assert client.get(reverse("admin:privacy_retentionrun_rules")).status_code == 200
    assert client.get(reverse("admin:privacy_legalhold_changelist")).status_code == 403


def test_member_services_cannot_open_the_rules(client, staff_in_role):
    client.force_login(staff_in_role(roles.MEMBER_SERVICES))
    assert client.get(reverse("admin:privacy_retentionrun_rules")).status_code == 403


def test_the_anonymisation_register_is_listed(client, officer):
    EnquiryFactory(closed_on=days_ago(400).date())
    retention_purge(started_by="command")
    response = client.get(reverse("admin:privacy_anonymisationrecord_changelist"))
    assert response.status_code == 200
    assert "Statistiques des sujets de demandes" in response.content.decode()


def test_staff_place_an_explicit_hold_in_admin_through_the_service(client, officer):
    member = UserFactory()
    MemberFactory(user=member, student_number="20240077")
    ends = timezone.localtime() + timedelta(days=30)
    response = client.post(
        reverse("admin:privacy_legalhold_add"),
        {
            "person": "20240077",
            "kind": LegalHold.Kind.EXPLICIT,
            "reason": "Litige en cours",
            "ends_0": ends.strftime("%Y-%m-%d"),
            "ends_1": ends.strftime("%H:%M:%S"),
            "source_id": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    hold = LegalHold.objects.get()
    assert (hold.subject, hold.placed_by, hold.reason) == (member, officer, "Litige en cours")
    assert hold.in_force()
    # The hold's page names the person by name and member number, never an account id.
    page = client.get(reverse("admin:privacy_legalhold_change", args=[hold.pk])).content.decode()
    assert member.member.member_number in page and str(member.pk) not in page


def test_a_hold_is_placed_from_a_request_reference(client, officer):
    from privacy.requests import services
    from privacy.requests.models import RequestKind

    member = UserFactory()
    privacy_request = services.privacy_request_submit(account=member, kind=RequestKind.DELETION)
    ends = timezone.localtime() + timedelta(days=30)
    response = client.post(
        reverse("admin:privacy_legalhold_add"),
        {
            "person": privacy_request.reference.lower(),
            "kind": LegalHold.Kind.EXPLICIT,
            "reason": "Plainte à la Commission",
            "ends_0": ends.strftime("%Y-%m-%d"),
            "ends_1": ends.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    hold = LegalHold.objects.get(kind=LegalHold.Kind.EXPLICIT)
    assert (hold.subject, hold.source_id) == (member, privacy_request.reference)


def test_a_raw_account_id_or_an_unknown_number_places_no_hold(client, officer):
    member = UserFactory()
    MemberFactory(user=member, student_number="20240078")
    ends = timezone.localtime() + timedelta(days=30)
    for person in (str(member.pk), "2024007"):
        response = client.post(
            reverse("admin:privacy_legalhold_add"),
            {
                "person": person,
                "kind": LegalHold.Kind.EXPLICIT,
                "reason": "Litige",
                "ends_0": ends.strftime("%Y-%m-%d"),
                "ends_1": ends.strftime("%H:%M:%S"),
            },
        )
        assert response.status_code == 200
        assert "Aucun compte de membre ne correspond" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_an_explicit_hold_without_an_end_is_refused_in_admin(client, officer):
    MemberFactory(user=UserFactory(), student_number="20240079")
    response = client.post(
        reverse("admin:privacy_legalhold_add"),
        {"person": "20240079", "kind": LegalHold.Kind.EXPLICIT, "reason": "Litige"},
    )
    assert response.status_code == 200
    assert "Un blocage explicite doit avoir une date de fin." in response.content.decode()
    assert not LegalHold.objects.exists()


def test_staff_release_holds_with_the_admin_action(client, officer):
    hold = legal_hold_place(
        subject=UserFactory(), kind=LegalHold.Kind.RECOURSE, reason="Recours", source_id="CAI-7"
    )
    # Lifting a hold lets the purge destroy what it kept: a page says so first.
    page = client.post(
        reverse("admin:privacy_legalhold_changelist"),
        {"action": "release", "_selected_action": [hold.pk]},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "CAI-7" in html and "dès la prochaine purge" in html
    assert str(hold.subject_id) not in html  # the account by name or number, never its id
    hold.refresh_from_db()
    assert hold.in_force()
    response = client.post(
        reverse("admin:privacy_legalhold_changelist"),
        {"action": "release", "_selected_action": [hold.pk], "confirmed": "yes"},
    )
    assert response.status_code == 302
    hold.refresh_from_db()
    assert (hold.released_by, hold.in_force()) == (officer, False)


def test_the_data_map_inventory_shows_the_window_in_force(client, officer, settings):
    settings.PRIVACY_RETENTION = {"retentionapp.Visit": {"keep_for_days": 45}}
    response = client.get(reverse("admin:privacy_datamapinventory_changelist"))
    rows = {row["model"].label: row for row in response.context["inventory"]}
    assert rows["retentionapp.Visit"]["keep_for"] == "45 jours"
