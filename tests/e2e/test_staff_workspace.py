"""Each staff role's first morning, from sign-in to one real task, in French and English:
the privacy officer answers an overdue request found on the dashboard, member services find
a member by family name and date of birth and open the record, the operator reads the last
purge. The dashboard is kept as screenshots at phone and desktop sizes (artifacts/staff/)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from privacy import roles

from .support import Journey, open_admin_as_new_staff, translated

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "staff"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def keep_dashboard(trip: Journey, role: str) -> None:
    """The dashboard as the role sees it, at phone and desktop sizes."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = trip.page
    expect(page.locator(".staff-dashboard")).to_be_visible()
    stem = SHOTS / f"dashboard-{role}-{trip.language}"
    page.screenshot(path=f"{stem}-390.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=f"{stem}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)


def figure(trip: Journey, label: str):
    t = translated(trip.language, label)
    return trip.page.locator(".dashboard-figure").filter(has_text=t).first


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_privacy_officer_answers_an_overdue_request_from_the_dashboard(
    journey, member_account, portal, language
):
    member = member_account("demandeur")
    serial = f"{os.getpid() % 10000:04d}{language == 'en':d}1"
    reference = portal.python(
        "from tests.e2e.staff_data import overdue_request_create\n"
        f"print(overdue_request_create(address={member!r}, serial={serial!r}))\n"
    ).strip()
    trip = journey("staff-officer", language)
    page = trip.page
    open_admin_as_new_staff(trip, member_account("responsable", staff_role=roles.PRIVACY_OFFICER))
    trip.step("dashboard")
    keep_dashboard(trip, "privacy-officer")

    overdue = figure(trip, "En retard")
    expect(overdue.locator(".dashboard-count")).not_to_have_text("0")
    overdue.get_by_role("link").click()
    row = page.locator("#result_list tbody tr").filter(has_text=reference)
    expect(row).to_have_count(1)
    trip.step("overdue queue")

    row.get_by_role("link", name=reference).click()
    expect(page.locator(".field-member_id_display")).to_contain_text("Linh Nguyễn")
    trip.step("request opened")
    for action, done in (
        ("Commencer le traitement", "Demande en traitement."),
        ("Refuser, avec motifs", None),
    ):
        page.locator(".object-tools").get_by_role(
            "link", name=translated(language, action), exact=True
        ).click()
        if done is None:
            page.locator("textarea").first.fill(
                "Identité non confirmée." if language == "fr" else "Identity not confirmed."
            )
        trip.step(f"confirm {action}")
        page.get_by_role("button", name=translated(language, action), exact=True).click()
        expect(page.locator(".messagelist")).to_be_visible()
        trip.step(f"done {action}")
    expect(page.locator(".field-status")).to_contain_text(translated(language, "Refusée"))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_member_services_find_a_member_by_name_and_birth_and_open_the_record(
    journey, member_account, portal, language
):
    member = member_account("appelant")
    serial = f"{os.getpid() % 10000:04d}{language == 'en':d}2"
    portal.python(
        "from tests.e2e.staff_data import overdue_request_create\n"
        f"overdue_request_create(address={member!r}, serial={serial!r})\n"
    )
    trip = journey("staff-member-services", language)
    page = trip.page
    open_admin_as_new_staff(trip, member_account("agent", staff_role=roles.MEMBER_SERVICES))
    trip.step("dashboard")
    keep_dashboard(trip, "member-services")

    trip.goto("/admin/members/member/")
    expect(page.locator("#searchbar_helptext, .help").first).to_contain_text("2001-03-04")
    page.locator("#searchbar").fill("nguyen 2001-03-04")
    page.locator("#searchbar").press("Enter")
    page.wait_for_load_state("load")
    row = page.locator("#result_list tbody tr").filter(has_text=f"ASEQ-7{serial}")
    expect(row).to_have_count(1)
    trip.step("found by name and birth")
    row.get_by_role("link", name=f"ASEQ-7{serial}").click()
    expect(page.locator(".field-last_name")).to_contain_text("Nguyễn")
    trip.step("record opened")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_operator_reads_the_last_purge(journey, member_account, portal, language):
    portal.python(
        "from tests.e2e.staff_data import finished_purge_create\nfinished_purge_create()\n"
    )
    trip = journey("staff-operator", language)
    page = trip.page
    open_admin_as_new_staff(trip, member_account("exploitation", staff_role=roles.OPERATOR))
    trip.step("dashboard")
    keep_dashboard(trip, "operator")

    figure(trip, "Dernière purge").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/admin/privacy/retentionrun/\d+/change/$"))
    expect(page.locator(".field-started_by_display")).to_contain_text(
        translated(language, "Planification automatique")
    )
    trip.step("last purge")
