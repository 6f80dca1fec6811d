"""The admin index is each role's dashboard: every figure is the count of the list it
links to, no personal value is shown, and a role sees only its own panels."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import ClaimAttempt
from privacy.registers.models import ConfidentialityIncident
from privacy.requests import services
from privacy.requests.models import PrivacyRequest, RequestKind, RequestStatus
from privacy.retention.api import legal_hold_place
from privacy.retention.models import LegalHold, RetentionRun, RetentionRunLine
from privacy.roles import MEMBER_SERVICES, OPERATOR, PRIVACY_OFFICER
from privacy.rotation.services import key_census_take
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

FIGURE = re.compile(
    r'<li class="dashboard-figure[^"]*">\s*<a href="(?P<url>[^"]+)">'
    r'(?:<span class="dashboard-count">(?P<count>\d+)</span>)?(?P<rest>.*?)</a>',
    re.S,
)
PANEL_TITLE = re.compile(r'<section class="dashboard-panel"[^>]*>\s*<h2[^>]*>([^<]+)</h2>')

OFFICER_PANELS = {
    "Demandes en attente de réponse",
    "Incidents de confidentialité",
    "Blocages légaux",
    "Journal d’audit",
}
OPERATOR_PANELS = {"Purges de conservation", "Rotation des clés"}
MEMBER_SERVICES_PANELS = {
    "Rattachements du jour",
    "Demandes relatives aux renseignements personnels",
}


def figures(page: str) -> list[tuple[str, int | None, str]]:
    return [
        (html.unescape(m["url"]), int(m["count"]) if m["count"] else None, m["rest"])
        for m in FIGURE.finditer(page)
    ]


def label_of(rest: str) -> str:
    return html.unescape(re.search(r'class="dashboard-label">([^<]+)<', rest)[1]).strip()


def panel_titles(page: str) -> set[str]:
    return {html.unescape(title).strip() for title in PANEL_TITLE.findall(page)}


def listed_count(client, url: str) -> int:
    """What the list behind a figure holds: the changelist's count, or a run's lines."""
    response = client.get(url)
    assert response.status_code == 200, url
    if "cl" in response.context:
        return response.context["cl"].result_count
    raise AssertionError(f"{url} is not a list")


@pytest.fixture
def personal_values():
    """Members with requests in every band; their personal values must stay off the dashboard."""
    today = timezone.localdate()
    values = []
    requests = []
    for due in (-3, -1, 2, 5, 20):
        user = UserFactory()
        record = MemberFactory(user=user, last_name="Nguyễn", first_name=f"Zoé{due}")
        values += [user.email, record.last_name, record.first_name, record.student_number]
        privacy_request = services.privacy_request_submit(account=user, kind=RequestKind.ACCESS)
        PrivacyRequest.objects.filter(pk=privacy_request.pk).update(
            due_on=today + timedelta(days=due)
        )
        requests.append(privacy_request)
    # One closed request counts in no band.
    closed = services.privacy_request_submit(account=UserFactory(), kind=RequestKind.DELETION)
    PrivacyRequest.objects.filter(pk=closed.pk).update(
        status=RequestStatus.CLOSED, closed_at=timezone.now(), due_on=today - timedelta(days=9)
    )
    return {"values": values, "requests": requests}


def test_the_privacy_officer_sees_each_figure_as_the_count_of_its_list(
    client, privacy_officer, personal_values
):
    today = timezone.localdate()
    first = personal_values["requests"][0]
    PrivacyRequest.objects.filter(pk=first.pk).update(
        extended_due_on=today + timedelta(days=10), extended_at=timezone.now()
    )
    services.privacy_request_assign(
        privacy_request=personal_values["requests"][1],
        assignee=privacy_officer,
        actor=privacy_officer,
    )
    ConfidentialityIncident.objects.create(
        description="Courriel mal adressé",
        personal_info_concerned="Numéros de membre",
        occurred_from=today,
        discovered_on=today,
        people_count=3,
        risk_assessment="Faible",
        serious_injury_risk=True,
        measures_taken="Rappel",
    )
    ConfidentialityIncident.objects.create(
        description="Perte d’une clé",
        personal_info_concerned="Aucun",
        occurred_from=today,
        discovered_on=today,
        people_count=1,
        risk_assessment="Nul",
        measures_taken="Clé retrouvée",
    )
    legal_hold_place(
        subject=UserFactory(),
        kind=LegalHold.Kind.EXPLICIT,
        reason="Litige",
        ends=timezone.now() + timedelta(days=3),
    )
    legal_hold_place(
        subject=UserFactory(),
        kind=LegalHold.Kind.EXPLICIT,
        reason="Litige",
        ends=timezone.now() + timedelta(days=60),
    )
    client.force_login(privacy_officer)

    page = client.get("/admin/").content.decode()

    assert panel_titles(page) == OFFICER_PANELS
    shown = figures(page)
    counted = [(url, count) for url, count, _rest in shown if count is not None]
    assert len(counted) >= 10
    for url, count in counted:
        assert listed_count(client, url) == count, url
    by_url = {url: count for url, count, _rest in shown}
    queue = "/admin/privacy/privacyrequest/"
    # -1 overdue (-3 extended to +10: later), 2 and 5 soon, 20 and the extended one later.
    assert by_url[f"{queue}?due=overdue"] == 1
    assert by_url[f"{queue}?due=soon"] == 2
    assert by_url[f"{queue}?due=later"] == 2
    assert by_url[f"{queue}?due=extended"] == 1
    assert by_url[f"{queue}?assignee=me"] == 1
    assert by_url["/admin/privacy/confidentialityincident/?notice=open"] == 1
    assert by_url["/admin/privacy/legalhold/?state=ending"] == 1
    assert "Intacte" in page
    for value in personal_values["values"]:
        assert value not in page
    for privacy_request in personal_values["requests"]:
        assert privacy_request.reference not in page


def test_the_operator_reads_the_last_purge_rotation_and_lock(client, staff_in_role):
    operator = staff_in_role(OPERATOR)
    RetentionRun.objects.create(
        started_by="command",
        batch_size=100,
        dry_run=True,
        status=RetentionRun.Status.FINISHED,
        started=timezone.now() - timedelta(hours=1),
        finished=timezone.now() - timedelta(hours=1),
    )
    run = RetentionRun.objects.create(
        started_by="beat",
        batch_size=100,
        status=RetentionRun.Status.FINISHED,
        started=timezone.now() - timedelta(minutes=5),
        finished=timezone.now(),
    )
    for label, action, count, held in (
        ("members.Member", RetentionRunLine.Action.DELETE, 4, 1),
        ("members.ActivityEvent", RetentionRunLine.Action.DELETE, 7, 0),
        ("coverage.Claim", RetentionRunLine.Action.ANONYMISE, 2, 3),
    ):
        RetentionRunLine.objects.create(
            run=run,
            model_label=label,
            action=action,
            starts_from="created_at",
            window=timedelta(days=365),
            cutoff=timezone.now(),
            count=count,
            held=held,
        )
    client.force_login(operator)
    key_census_take()  # the rotation panel shows the stored count

    page = client.get("/admin/").content.decode()

    assert panel_titles(page) == OPERATOR_PANELS
    shown = {label_of(rest): (url, count) for url, count, rest in figures(page)}
    run_url = f"/admin/privacy/retentionrun/{run.pk}/change/"
    assert shown["Lignes supprimées"] == (run_url, 11)
    assert shown["Lignes anonymisées"] == (run_url, 2)
    assert shown["Lignes retenues par un blocage légal"] == (run_url, 4)
    # The run's page lists the very lines these figures add up.
    detail = client.get(run_url)
    lines = list(detail.context["inline_admin_formsets"][0].formset.queryset)
    assert sum(line.count for line in lines if line.action == "delete") == 11
    assert sum(line.held for line in lines) == 4
    assert "terminée" in page and "Libre" in page
    assert listed_count(client, shown["Simulations"][0]) == shown["Simulations"][1] == 1
    url, waiting = shown["Valeurs à rechiffrer"]
    assert client.get(url).status_code == 200 and waiting == 0
    assert listed_count(client, shown["Verrou de purge"][0]) == 0


def test_member_services_see_today_s_work_only(client, staff_in_role, personal_values):
    agent = staff_in_role(MEMBER_SERVICES)
    today_user = UserFactory()
    for outcome in ("no_match", "no_match", "claimed", "rate_limited"):
        ClaimAttempt.objects.create(user=today_user, outcome=outcome)
    ClaimAttempt.objects.create(
        user=today_user, outcome="no_match", attempted_at=timezone.now() - timedelta(days=2)
    )
    PrivacyRequest.objects.filter(pk=personal_values["requests"][2].pk).update(
        status=RequestStatus.WAITING_MEMBER
    )
    client.force_login(agent)

    page = client.get("/admin/").content.decode()

    assert panel_titles(page) == MEMBER_SERVICES_PANELS
    counted = [(url, count) for url, count, _rest in figures(page) if count is not None]
    for url, count in counted:
        assert listed_count(client, url) == count, url
    by_label = {label_of(rest): count for _url, count, rest in figures(page)}
    assert by_label["Tentatives de rattachement aujourd’hui"] == 4
    assert by_label["Sans dossier correspondant"] == 2
    assert by_label["Reçues, pas encore traitées"] == 4
    assert by_label["En attente de la réponse du membre"] == 1
    for value in personal_values["values"]:
        assert value not in page


def test_a_role_sees_only_its_own_panels_and_english_reads_english(client, staff_in_role):
    operator = staff_in_role(OPERATOR)
    client.force_login(operator)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert not panel_titles(page) & (OFFICER_PANELS | MEMBER_SERVICES_PANELS)
    officer_only = staff_in_role(PRIVACY_OFFICER)
    client.force_login(officer_only)
    page = client.get("/admin/").content.decode()
    assert not panel_titles(page) & (OPERATOR_PANELS | MEMBER_SERVICES_PANELS)
    staff_without_role = staff_in_role(None)
    client.force_login(staff_without_role)
    assert 'class="staff-dashboard"' not in client.get("/admin/").content.decode()
