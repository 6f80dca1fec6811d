"""The audit log in admin: questioned by kind of action, role, staff member and date,
read in words, exported as CSV (itself audited)."""

import csv
import io
import re

import pytest
from django.db import transaction

from privacy import roles
from privacy.audit.chain import audit_record
from privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def officer(staff_in_role):
    return staff_in_role(roles.PRIVACY_OFFICER, email="agente@example.org")


@pytest.fixture
def log(officer, member):
    with transaction.atomic():
        audit_record(
            action="admin.view",
            actor=officer,
            subject=member,
            object_type="members.User",
            object_id=str(member.pk),
        )
        audit_record(action="members.profile_update", actor=member, subject=member)
        audit_record(action="retention.run_closed")
    return member


def column(html: str, css_class: str) -> list[str]:
    return re.findall(rf'<td class="field-{css_class}[^"]*">(.*?)</td>', html)


def test_the_list_names_people_and_actions_in_words(client, officer, log):
    client.force_login(officer)
    html = client.get("/admin/privacy/auditentry/").content.decode()
    actors = column(html, "actor_label")
    assert "agente@example.org" in actors
    assert log.email in actors
    assert "Système" in actors
    assert any("Dossiers de membres" in label for label in column(html, "action_label"))
    for cell in actors + column(html, "subject_label") + column(html, "when"):
        assert not UUID.search(cell)
        assert not re.search(r"\d\d:\d\d:\d\d", cell)  # to the minute


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("family=members", {"members.profile_update"}),
        ("family=retention", {"retention.run_closed"}),
        ("role=privacy_officer", {"admin.view"}),
        ("role=system", {"retention.run_closed"}),
    ],
)
def test_filters_keep_only_what_they_name(client, officer, log, query, expected):
    client.force_login(officer)
    response = client.get(f"/admin/privacy/auditentry/?{query}")
    shown = {entry.action for entry in response.context["cl"].result_list}
    assert shown == expected


def test_the_staff_filter_lists_staff_by_email_and_keeps_their_entries(client, officer, log):
    client.force_login(officer)
    html = client.get("/admin/privacy/auditentry/").content.decode()
    assert "agente@example.org" in html
    response = client.get(f"/admin/privacy/auditentry/?actor={officer.pk}")
    assert {e.action for e in response.context["cl"].result_list} == {"admin.view"}


def test_the_filtered_log_exports_as_csv_and_the_export_is_audited(client, officer, log):
    client.force_login(officer)
    response = client.get("/admin/privacy/auditentry/export.csv?family=members")
    text = b"".join(response.streaming_content).decode()[1:]
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[2] == "auteur"
    assert len(rows) == 1
    assert rows[0][2] == log.email
    assert "Dossiers de membres" in rows[0][4]
    export = AuditEntry.objects.get(action="admin.export")
    assert export.actor_id == str(officer.pk)
    assert export.metadata == {"rows": 1}


# --- At the plan's scale (3 million entries): no DISTINCT, no full count, exact ids ------


def test_the_log_is_searched_by_exact_id_only(client, officer, log):
    client.force_login(officer)
    found = client.get(f"/admin/privacy/auditentry/?q={log.pk}").context["cl"].result_list
    assert {e.action for e in found} >= {"admin.view", "members.profile_update"}
    partial = str(log.pk)[:8]
    assert not client.get(f"/admin/privacy/auditentry/?q={partial}").context["cl"].result_list


def test_the_period_filter_keeps_recent_entries_and_no_date_hierarchy_is_computed(
    client, officer, log
):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(officer)
    old = AuditEntry.objects.filter(action="retention.run_closed").get()
    # An entry from last year (the insider's way: the models never rewrite the log).
    from tests.privacy.test_audit_anchors import insider

    insider(
        "UPDATE privacy_auditentry SET created_at = %s WHERE id = %s",
        [timezone.now() - timedelta(days=400), old.id],
    )
    response = client.get("/admin/privacy/auditentry/?period=30d")
    shown = {e.action for e in response.context["cl"].result_list}
    assert shown == {"admin.view", "members.profile_update"}
    assert "12 derniers mois" in response.content.decode()
    assert response.context["cl"].date_hierarchy is None


def test_the_log_list_counts_no_further_than_its_cap(client, officer, log, monkeypatch):
    from privacy.adminkit.big_lists import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 2)
    client.force_login(officer)
    response = client.get("/admin/privacy/auditentry/?p=9")  # past the end: the last page
    changelist = response.context["cl"]
    assert response.status_code == 200
    assert changelist.result_count == 2 and changelist.paginator.capped
    assert not changelist.show_full_result_count


def test_a_deep_page_shows_the_same_entries_as_offset_paging(client, officer, log, monkeypatch):
    from privacy.adminkit.big_lists import CappedPaginator

    with transaction.atomic():
        for _ in range(12):
            audit_record(action="test.event")
    client.force_login(officer)
    monkeypatch.setattr(_audit_admin_class(), "list_per_page", 2)
    expected = list(AuditEntry.objects.order_by("-id").values_list("id", flat=True))
    shown = []
    for page in range(1, 9):
        response = client.get(f"/admin/privacy/auditentry/?p={page}")
        assert isinstance(response.context["cl"].paginator, CappedPaginator)
        shown += [entry.id for entry in response.context["cl"].result_list]
    assert shown == expected[:16]


def _audit_admin_class():
    from django.contrib import admin

    return type(admin.site._registry[AuditEntry])
