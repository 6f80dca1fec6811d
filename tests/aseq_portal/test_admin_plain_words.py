"""Every admin list and record page the three staff roles can open, with demo data, reads in
plain words: dates to the minute (no seconds, no microseconds), objects by what staff call
them (no "object (…)"), no identifiers outside links, no amounts in cents."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.admin.utils import quote
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from members.models import ActivityEvent, ClaimAttempt, Member
from privacy.registers.models import ConfidentialityIncident
from privacy.requests import services
from privacy.requests.models import RequestKind
from privacy.retention.api import legal_hold_place, retention_purge
from privacy.retention.models import LegalHold
from privacy.roles import MEMBER_SERVICES, OPERATOR, PRIVACY_OFFICER
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

RAW = {
    "seconds": re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b"),
    "microseconds": re.compile(r"\d:\d{2}\.\d{3,6}"),
    # Django's default name for an object: "Claim object (<id>)".
    "object (": re.compile(r"\bobject \((?:[0-9a-f-]{8,}|\d+)\)"),
    "uuid": re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I),
    "cents": re.compile(r"\bcents?\b", re.I),
}
# Rows of each list whose record page is opened too.
RECORDS_PER_LIST = 2


class VisibleText(HTMLParser):
    """The text a person reads: text nodes, not attributes (URLs may carry ids), no scripts."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "textarea"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(page: str) -> list[str]:
    parser = VisibleText()
    parser.feed(page)
    return parser.parts


# The data map inventory names stored columns ("montant réclamé (cents)"); it shows no amount.
NAMES_COLUMNS = ("/admin/privacy/datamapinventory/",)


def raw_choice_codes() -> set[str]:
    """Stored codes of every choice whose label differs ("no_match", "in_review")."""
    from django.apps import apps

    codes = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and value and value != str(label) and "_" in value:
                    codes.add(value)
    return codes


def raw_values(page: str, url: str = "") -> list[str]:
    found = []
    codes = raw_choice_codes()
    for text in visible_text(page):
        if text in codes:
            found.append(f"choice code: {text!r}")
        for name, pattern in RAW.items():
            if name == "cents" and url in NAMES_COLUMNS:
                continue
            if pattern.search(text):
                found.append(f"{name}: {text[:120]!r}")
    return found


@pytest.fixture
def demo(staff_in_role, privacy_officer):
    """seed_demo, plus what staff work on: requests, holds, a purge, an incident, sign-ins."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    members = list(Member.objects.exclude(user__isnull=True).select_related("user")[:3])
    while len(members) < 3:
        members.append(MemberFactory(user=UserFactory(), last_name="Nguyễn"))
    first = services.privacy_request_submit(
        account=members[0].user, kind=RequestKind.ACCESS, details="Tout mon dossier"
    )
    services.privacy_request_start_review(privacy_request=first, actor=privacy_officer)
    services.privacy_request_note_add(privacy_request=first, actor=privacy_officer, body="Appel")
    services.privacy_request_extend(
        privacy_request=first, actor=privacy_officer, days=20, reason="Volume"
    )
    services.privacy_request_submit(account=members[1].user, kind=RequestKind.DELETION)
    legal_hold_place(
        subject=members[2].user,
        kind=LegalHold.Kind.EXPLICIT,
        reason="Litige",
        ends=timezone.now() + timedelta(days=5),
        placed_by=privacy_officer,
    )
    today = timezone.localdate()
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
    ClaimAttempt.objects.create(user=members[0].user, outcome="no_match")
    ActivityEvent.objects.create(user=members[0].user, kind=ActivityEvent.Kind.values[0])
    retention_purge(started_by="command", dry_run=True)
    retention_purge(started_by="beat")
    return members


def pages_of(client) -> list[str]:
    """Every list the index offers this user, and the record pages of its first rows."""
    index = client.get("/admin/")
    assert index.status_code == 200
    urls = ["/admin/"]
    for app in index.context["app_list"]:
        for model in app["models"]:
            if not model.get("admin_url"):
                continue
            urls.append(model["admin_url"])
            response = client.get(model["admin_url"])
            cl = response.context.get("cl") if response.context else None
            if cl is None:
                continue
            opts = cl.opts
            for obj in list(cl.result_list)[:RECORDS_PER_LIST]:
                try:
                    urls.append(
                        reverse(
                            f"admin:{opts.app_label}_{opts.model_name}_change",
                            args=[quote(obj.pk)],
                        )
                    )
                except NoReverseMatch:
                    continue
    return urls


@pytest.mark.parametrize("role", [PRIVACY_OFFICER, MEMBER_SERVICES, OPERATOR])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_admin_page_a_role_opens_reads_in_plain_words(
    client, staff_in_role, demo, role, language
):
    client.force_login(staff_in_role(role))
    client.cookies["django_language"] = language
    problems = {}
    urls = pages_of(client)
    assert len(urls) > 3
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        found = raw_values(response.content.decode(), url)
        if found:
            problems[url] = found
    assert not problems, "\n".join(f"{url}\n  " + "\n  ".join(p) for url, p in problems.items())


def test_a_purge_says_who_started_it_in_words(client, staff_in_role):
    run = retention_purge(started_by="command")
    client.force_login(staff_in_role(OPERATOR))
    page = client.get(reverse("admin:privacy_retentionrun_change", args=[run.pk]))
    text = " ".join(visible_text(page.content.decode()))
    assert "Commande d’un opérateur" in text and "Tous les modèles" in text
    assert "command" not in text.split()
