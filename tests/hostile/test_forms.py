"""Every form and every query parameter survives hostile input.

Forms and pages are discovered (URLconf + links, signed out and signed in), so a
form added by any app is covered here without editing this file. For each:
never a server error; a refused form answers in the page's language with the
error summary; and a refused form stores nothing.
"""

from __future__ import annotations

import contextlib
import copy
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import resolve
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import PASSWORD

from .crawl import LANGUAGES, Form, PageParser, crawl, discover_forms
from .strategies import MISSING, field_value, query_params

pytestmark = pytest.mark.django_db

# Tables that change on any request by design, not because a form was accepted.
NOT_COUNTED = {"sessions.session", "usersessions.usersession"}
# Words that betray a message left in the other language.
OTHER_LANGUAGE = {
    "fr": ["This field", "Enter a", "Ensure this", "is required", "Please ", "must ",
           "Select a valid", "The form has errors", "not a valid", "too long", "You must"],
    "en": ["Ce champ", "Saisissez", "Assurez-vous", "obligatoire", "Veuillez", "doit ",
           "Sélectionnez", "Le formulaire contient", "n’est pas", "n'est pas", "invalide"],
}  # fmt: skip


def row_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in NOT_COUNTED and model._meta.managed
    }


def summary_text(html: str) -> str:
    start = html.find("data-error-summary")
    return html[start : html.find("</div>", start)] if start >= 0 else ""


def check_answer(form: Form, response, before: dict[str, int]) -> list[str]:
    """What must hold after a hostile post; returns the problems found."""
    where = f"{form.method.upper()} {urlsplit(form.action).path}"
    problems: list[str] = []
    if response.status_code >= 500:
        return [f"{where}: HTTP {response.status_code}"]
    html = response.content.decode(errors="replace")
    refused = response.status_code >= 400 or (
        response.status_code == 200 and 'class="errorlist' in html
    )
    if not refused:
        return problems
    if response.status_code == 200:
        page = PageParser(form.action)
        page.feed(html)
        language = form.language
        if language in LANGUAGES and page.html_lang != language:
            problems.append(f"{where}: answered in {page.html_lang!r}, not {language!r}")
        summary = summary_text(html)
        if not summary:
            problems.append(f"{where}: errors shown without the error summary")
        for word in OTHER_LANGUAGE.get(language, []):
            if word in summary:
                problems.append(f"{where}: message in the other language: {word!r}")
    after = row_counts()
    changed = {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }
    if changed:
        problems.append(f"{where}: refused, yet rows changed: {changed}")
    return problems


def hostile_posts(client: Client, form: Form) -> list[str]:
    """Run hypothesis over one form; return the problems of the first failing example."""
    problems: list[str] = []
    # Radio buttons, checkboxes and submit buttons sharing a name offer their values.
    choices: dict[str, tuple[str, list[str]]] = {}
    for f in form.fields:
        if f.name == "csrfmiddlewaretoken":
            continue
        _kind, options = choices.setdefault(f.name, (f.kind, []))
        options.extend(f.options)
        if f.kind in {"submit", "radio", "checkbox", "hidden"} and f.value:
            options.append(f.value)
    strategy = {name: field_value(kind, options) for name, (kind, options) in choices.items()}

    @given(st.fixed_dictionaries(strategy))
    def post(values):
        data = {name: value for name, value in values.items() if value is not MISSING}
        cookies = copy.deepcopy(client.cookies)
        cache.clear()  # rate limits must not hide the form
        try:
            with transaction.atomic():
                before = row_counts()
                if form.method == "post":
                    response = client.post(form.action, data)
                else:
                    response = client.get(form.action, data)
                found = check_answer(form, response, before)
                transaction.set_rollback(True)
        finally:
            client.cookies = cookies
        if found:
            problems.extend(found)
            raise AssertionError("\n".join(found))

    with contextlib.suppress(AssertionError):
        post()
    return problems


def signed_in_client(member) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(member)
    # A recent password confirmation, so the forms behind it (MFA, requests) are reached.
    client.post("/fr/compte/reauthenticate/", {"password": PASSWORD})
    return client


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_every_form_refuses_hostile_input_cleanly(member, signed_in):
    client = signed_in_client(member) if signed_in else Client(raise_request_exception=False)
    forms = discover_forms(client)
    assert len(forms) >= (8 if signed_in else 4), [f.action for f in forms]
    problems = {form.action: hostile_posts(client, form) for form in forms}
    problems = {action: found for action, found in problems.items() if found}
    assert problems == {}


def hostile_queries(client: Client, path: str) -> None:
    @settings(max_examples=10)
    @given(query_params)
    def visit(params):
        cookies = copy.deepcopy(client.cookies)
        try:
            with transaction.atomic():
                response = client.get(f"{path}?{urlencode(params, doseq=True)}")
                transaction.set_rollback(True)
        finally:
            client.cookies = cookies
        assert response.status_code < 500, f"{path}?{urlencode(params)}: {response.status_code}"

    visit()


def query_pages(client: Client) -> list[str]:
    """One path per view: the other language runs the same code on the same parameters."""
    by_view: dict[str, str] = {}
    for visit in crawl(client):
        if visit.status == 200:
            path = visit.path.split("?")[0]
            by_view.setdefault(resolve(path).view_name, path)
    return sorted(by_view.values())


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_every_page_survives_hostile_query_parameters(member, signed_in):
    client = signed_in_client(member) if signed_in else Client(raise_request_exception=False)
    pages = query_pages(client)
    assert len(pages) >= 5
    failures: list[str] = []

    for path in pages:
        try:
            hostile_queries(client, path)
        except AssertionError as error:
            failures.append(str(error).splitlines()[0])
    assert failures == []


def test_the_checks_would_catch_a_refused_form_that_stores_or_speaks_english(member):
    """The checker itself: rows written by a refused form, an English error on /fr/."""

    class Answer:
        status_code = 200
        content = (
            b'<html lang="fr"><div class="error-summary" data-error-summary role="alert">'
            b'This field is required.</div><ul class="errorlist"><li>x</li></ul></html>'
        )

    form = Form(page="/fr/compte/signup/", action="/fr/compte/signup/", method="post")
    before = row_counts()
    from tests.factories import UserFactory

    UserFactory()
    problems = check_answer(form, Answer(), before)
    assert any("rows changed" in problem for problem in problems)
    assert any("other language" in problem for problem in problems)
