"""Browser journeys: a real gunicorn on loopback, Debian's chromium at phone size.

Run with `make e2e` (or `pytest tests/e2e -m e2e`); make test leaves them out.
With DATABASE_URL on PostgreSQL the server gets its own database on that server.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from .server import Database, Server
from .support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    PHONE,
    Journey,
    clear_all_artifacts,
)

_counter = itertools.count(1)


@pytest.fixture(scope="session")
def portal(tmp_path_factory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("portal")
    server = Server(workdir=workdir, database=Database.create(workdir))
    try:
        server.start()
        yield server
    finally:
        server.stop()
        if server.log_path.exists():
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(server.log_path, ARTIFACTS / "server.log")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    clear_all_artifacts()
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, portal) -> Iterator[Callable[..., BrowserContext]]:
    contexts: list[BrowserContext] = []

    def make(language: str, *, javascript: bool = True) -> BrowserContext:
        context = browser.new_context(
            viewport=PHONE,
            device_scale_factor=1,
            is_mobile=True,
            has_touch=True,
            locale="fr-CA" if language == "fr" else "en-CA",
            java_script_enabled=javascript,
            base_url=portal.base_url,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def journey(new_context, portal, request) -> Iterator[Callable[..., Journey]]:
    """journey(name, language, javascript=True) -> a Journey on a fresh phone.

    When the test is over, every journey it made must have refused cookies (if its
    browser holds any) and hold only essential ones: "refuse all" finishes every journey.
    """
    trips: list[Journey] = []

    def make(name: str, language: str, *, javascript: bool = True) -> Journey:
        page: Page = new_context(language, javascript=javascript).new_page()
        trip = Journey(
            page=page,
            name=name,
            language=language,
            base_url=portal.base_url,
            javascript=javascript,
        )
        trips.append(trip)
        return trip

    yield make
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.passed:
        for trip in trips:
            trip.assert_cookies_refused()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item (the journey fixture reads rep_call)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def unique_email() -> Callable[[str], str]:
    def make(prefix: str) -> str:
        return f"{prefix}-{os.getpid()}-{next(_counter)}@example.org"

    return make


@pytest.fixture
def member_account(portal, unique_email) -> Callable[..., str]:
    """A verified member who can sign in with support.PASSWORD; returns the address."""

    def make(prefix: str = "membre", *, staff_role: str | None = None) -> str:
        address = unique_email(prefix)
        portal.python(
            "from allauth.account.models import EmailAddress\n"
            "from django.contrib.auth.models import Group\n"
            "from members.models import User\n"
            f"user = User.objects.create_user({address!r}, {PASSWORD!r}, "
            f"is_staff={staff_role is not None})\n"
            "EmailAddress.objects.create(\n"
            "    user=user, email=user.email, verified=True, primary=True\n"
            ")\n"
            + (
                f"user.groups.add(Group.objects.get_or_create(name={staff_role!r})[0])\n"
                if staff_role
                else ""
            )
        )
        return address

    return make


_serials = itertools.count(1)


@pytest.fixture
def plan_member(portal, member_account) -> Callable[..., str]:
    """plan_member(prefix, language=) -> the address of a member whose record is claimed,
    who speaks ``language`` and whose plan's change-of-coverage window is open today."""

    def make(prefix: str = "adherent", *, language: str = "fr") -> str:
        address = member_account(prefix)
        serial = f"{os.getpid() % 10000:04d}{next(_serials):03d}"
        portal.python(
            "from tests.e2e.setup_data import plan_member_create\n"
            f"plan_member_create(address={address!r}, language={language!r}, serial={serial!r})\n"
        )
        return address

    return make
