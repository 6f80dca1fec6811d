"""What every journey shares: a phone-sized page that screenshots, audits and watches itself."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Page, Request, Response, expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"
# Every page a journey steps on, as HTML, for the Nu HTML Checker.
MARKUP = ARTIFACTS / "markup"
PHONE = {"width": 390, "height": 844}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "Journee-de-test-2026!"
# Visible words the journeys click or look for, per language.
TEXT = {
    "fr": {
        "sign_up_link": "Créer un compte",
        "sign_in_link": "Se connecter",
        "sign_up_button": "Création de compte",
        "sign_in_button": "Connexion",
        "sign_out": "Se déconnecter",
        "email": "Courriel",
        "password": "Mot de passe",
        "password_again": "Mot de passe (confirmation)",
        "confirm": "Confirmer",
        "my_account": "Mon compte",
        "errors_title": "Le formulaire contient des erreurs",
        "mfa_required": "L’administration exige l’authentification à deux facteurs",
        "activate": "Activer",
        "code": "Code de l’authentificateur",
        "admin_title": "Administration du portail",
        "refuse_all": "Tout refuser",
        "accept_all": "Tout accepter",
        "banner_title": "Vos choix de témoins",
        "privacy_centre": "Centre de confidentialité",
        "saved": "Vos choix sont enregistrés.",
    },
    "en": {
        "sign_up_link": "Create an account",
        "sign_in_link": "Sign in",
        "sign_up_button": "Sign Up",
        "sign_in_button": "Sign In",
        "sign_out": "Sign out",
        "email": "Email",
        "password": "Password",
        "password_again": "Password (again)",
        "confirm": "Confirm",
        "my_account": "My account",
        "errors_title": "The form has errors",
        "mfa_required": "The administration requires two-factor authentication",
        "activate": "Activate",
        "code": "Authenticator code",
        "admin_title": "Portal administration",
        "refuse_all": "Refuse all",
        "accept_all": "Accept all",
        "banner_title": "Your cookie choices",
        "privacy_centre": "Privacy centre",
        "saved": "Your choices are saved.",
    },
}
SERIOUS = {"serious", "critical"}


def is_essential_cookie(name: str) -> bool:
    """Declared essential in the consent layer's cookie register (session, CSRF, choice)."""
    from privacy.consent.cookies import ConsentCategory, cookie_category

    return cookie_category(name) == ConsentCategory.ESSENTIAL


def reset_artifacts(journey: str) -> Path:
    folder = ARTIFACTS / journey
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Journey:
    """One person's path through the portal, one language, JavaScript on or off.

    Every step() saves a screenshot to artifacts/e2e/<journey>/<variant>-<nn>-<step>.png,
    runs axe-core (JavaScript on) and fails on a serious or critical violation, on a
    server error, on a Content-Security-Policy refusal, a script error, or any request
    leaving our own origin.
    """

    page: Page
    name: str
    language: str
    base_url: str
    javascript: bool = True
    number: int = 0
    problems: list[str] = field(default_factory=list)
    audited: set[str] = field(default_factory=set)
    refused_cookies: bool = False
    expected_statuses: set[int] = field(default_factory=set)
    auditing: bool = False

    def __post_init__(self) -> None:
        self.folder = reset_artifacts(self.name)
        for old in self.folder.glob(f"{self.variant}-*.png"):
            old.unlink()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("request", self._on_request)
        self.page.on("response", self._on_response)

    @property
    def variant(self) -> str:
        return self.language if self.javascript else f"{self.language}-nojs"

    @property
    def text(self) -> dict[str, str]:
        return TEXT[self.language]

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        source = (message.location or {}).get("url", "")
        if source.endswith("/favicon.ico"):
            # Chromium asks for it by itself on pages without an icon link (the admin).
            return
        if (
            self.auditing
            and not source
            and message.text.startswith("Applying inline style violates")
        ):
            # axe-core itself re-reads a stylesheet linked with a media attribute through
            # a <style>@import</style> it adds: our CSP rightly refuses it. Not the page's.
            return
        status = re.search(r"Failed to load resource: .* status of (\d{3})", message.text)
        if status and int(status.group(1)) in self.expected_statuses:
            return
        self.problems.append(f"console error on {self.page.url} ({source}): {message.text}")

    def _on_request(self, request: Request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if not url.startswith(self.base_url + "/"):
            self.problems.append(f"request outside our origin: {url}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 500:
            self.problems.append(f"server error {response.status} on {response.url}")
        elif response.status in self.expected_statuses:
            return
        elif response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")

    def field(self, key: str):
        """The form field whose label reads TEXT[key] (Django adds " :" or ":")."""
        label = re.compile(rf"^\s*{re.escape(self.text[key])}\s*:?\s*$")
        return self.page.get_by_label(label)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> Response | None:
        return self.page.goto(self.url(path))

    def step(self, label: str, *, audit: bool = True) -> None:
        """Record the page as the person sees it now, and check it."""
        self.page.wait_for_load_state("load")
        self.number += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        self.page.screenshot(
            path=str(self.folder / f"{self.variant}-{self.number:02d}-{slug}.png"), full_page=True
        )
        self.keep_markup(slug)
        expect(self.page.locator("html")).to_have_attribute("lang", self.language)
        if audit and self.javascript:
            self.audit(label)
        self.assert_no_problems(label)

    def keep_markup(self, slug: str) -> None:
        """Save the page's HTML for the Nu HTML Checker (test_zz_nu_html_checker.py).

        Django's own admin pages are left out: their markup is Django's, not ours.
        """
        if urlsplit(self.page.url).path.startswith("/admin/"):
            return
        MARKUP.mkdir(parents=True, exist_ok=True)
        name = f"{self.name}-{self.variant}-{self.number:02d}-{slug}.html"
        (MARKUP / name).write_text(self.page.content(), encoding="utf-8")

    def audit(self, label: str) -> None:
        """axe-core: no serious or critical violation on this page in this state."""
        self.auditing = True
        try:
            results = Axe().run(self.page)
        finally:
            self.auditing = False
        serious = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
        if serious:
            lines = [f"axe on {self.page.url} ({self.variant}, step {label!r}):"]
            for violation in serious:
                targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
                lines.append(
                    f"  [{violation['impact']}] {violation['id']}: {violation['help']} -> {targets}"
                )
            self.problems.append("\n".join(lines))
        self.audited.add(urlsplit(self.page.url).path)

    @contextmanager
    def expecting(self, *statuses: int) -> Iterator[None]:
        """A refusal the journey provokes on purpose (a form answered with 400, say)."""
        self.expected_statuses.update(statuses)
        try:
            yield
        finally:
            self.page.wait_for_load_state("load")
            self.expected_statuses.difference_update(statuses)

    def assert_no_problems(self, label: str = "") -> None:
        if self.problems:
            problems, self.problems = self.problems, []
            raise AssertionError(f"step {label!r} ({self.variant}):\n" + "\n".join(problems))

    # --- Things people do on most journeys ------------------------------------
    def refuse_cookies_if_asked(self) -> bool:
        """Click "Refuse all" on the consent banner when it is shown."""
        button = self.page.get_by_role("button", name=self.text["refuse_all"], exact=True)
        if button.count():
            button.first.click()
            self.page.wait_for_load_state("load")
            self.refused_cookies = True
            return True
        return False

    def sign_in(self, address: str, password: str = PASSWORD) -> None:
        self.page.get_by_role("link", name=self.text["sign_in_link"], exact=True).first.click()
        self.refuse_cookies_if_asked()
        self.field("email").fill(address)
        self.field("password").fill(password)
        self.page.get_by_role("button", name=self.text["sign_in_button"], exact=True).click()
        self.page.wait_for_load_state("load")

    def reauthenticate_if_asked(self, password: str = PASSWORD) -> bool:
        """Sensitive pages (MFA, privacy requests) first ask for the password again."""
        if "/reauthenticate/" not in self.page.url:
            return False
        self.step("confirm access")
        self.field("password").fill(password)
        self.page.get_by_role("button", name=self.text["confirm"], exact=True).click()
        self.page.wait_for_load_state("load")
        return True

    def expect_error_summary(self, *, title: str | None = None) -> None:
        """Errors are announced: a summary with role=alert, focused when scripts run.

        ``title`` is the summary's heading when the page's differs from allauth's.
        """
        summary = self.page.locator("[data-error-summary]")
        expect(summary).to_be_visible()
        expect(summary).to_have_attribute("role", "alert")
        expect(summary).to_contain_text(title or self.text["errors_title"])
        if self.javascript:
            expect(summary).to_be_focused()

    def non_essential_cookies(self) -> list[str]:
        return [
            cookie["name"]
            for cookie in self.page.context.cookies()
            if not is_essential_cookie(cookie["name"])
        ]

    def session_key(self) -> str:
        """The value of the session cookie (to set up server-side state for a step)."""
        for cookie in self.page.context.cookies():
            if re.fullmatch(r"(__Host-)?sessionid", cookie["name"]):
                return cookie["value"]
        raise AssertionError(f"no session cookie ({self.variant}): not signed in?")

    def assert_cookies_refused(self) -> None:
        """The end of every journey (checked by the journey fixture): a browser that holds
        any cookie must have answered the banner with "Refuse all", and holds nothing
        outside the essential category."""
        cookies = [cookie["name"] for cookie in self.page.context.cookies()]
        if cookies and not self.refused_cookies:
            raise AssertionError(
                f"journey {self.name!r} ({self.variant}) never refused cookies, "
                f"yet holds {sorted(cookies)}: call refuse_cookies_if_asked() first"
            )
        optional = self.non_essential_cookies()
        assert optional == [], (
            f"journey {self.name!r} ({self.variant}) ends with optional cookies {optional}"
        )


def turn_on_totp(trip: Journey) -> None:
    """From the MFA page: activate an authenticator app with the secret the page shows."""
    page, text = trip.page, trip.text
    page.get_by_role("link", name=text["activate"], exact=True).first.click()
    trip.reauthenticate_if_asked()
    expect(page).to_have_url(re.compile(r"/2fa/totp/activate/"))
    trip.step("authenticator setup")
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), "no TOTP secret on the page"
    trip.field("code").fill(totp_code(secret))
    page.get_by_role("button", name=text["activate"], exact=True).click()
    page.wait_for_load_state("load")
    trip.step("authenticator on")


def accept_staff_documents(trip: Journey) -> None:
    """The confidentiality agreement, then the procedures: each read and accepted (P26, P27)."""
    page = trip.page
    for number in range(1, 4):
        if "/staffdocument/" not in page.url:
            return
        trip.step(f"staff document {number}")
        page.locator("#id_confirm").check()
        page.locator(".submit-row input[type=submit]").click()
        page.wait_for_load_state("load")
    raise AssertionError("the admin kept asking for staff documents")


def open_admin_as_new_staff(trip: Journey, address: str) -> None:
    """A staff member's first time: sign in, refuse cookies, the MFA gate, TOTP on, the
    agreement and procedures accepted; ends on the admin's index."""
    trip.goto(f"/{trip.language}/")
    trip.refuse_cookies_if_asked()
    trip.sign_in(address)
    trip.goto("/admin/")
    expect(trip.page).to_have_url(re.compile(rf"/{trip.language}/\w+/2fa/$"))
    expect(trip.page.locator(".messages")).to_contain_text(trip.text["mfa_required"])
    trip.step("mfa required")
    turn_on_totp(trip)
    trip.goto("/admin/")
    accept_staff_documents(trip)
    expect(trip.page).to_have_url(re.compile(r"/admin/$"))
    expect(trip.page.locator("#site-name")).to_contain_text(trip.text["admin_title"])


def translated(language: str, message: str, *, page: bool = True) -> str:
    """A French source string as the portal shows it in language (same catalogs, and
    on a page its typography: "remboursé ?" with a narrow no-break space in French;
    ``page=False`` for mail, which the page typography does not touch)."""
    from django.utils import translation

    from aseq_portal.typography import typeset

    with translation.override(language):
        text = translation.gettext(message)
    return typeset(text, language) if page else text


def url_of(language: str, name: str, *args) -> str:
    """The path of a named URL in a language."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        return reverse(name, args=args)


def totp_code(secret: str) -> str:
    """The code an authenticator app would show now for this secret (allauth's own maths)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def clear_all_artifacts() -> None:
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
