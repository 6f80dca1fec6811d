"""Helpers for the consent tests: a browser's same-origin post, and forms read from HTML.

``BrowserForm`` submits a form exactly as a browser with JavaScript off does:
hidden inputs, ticked boxes and the one button pressed, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.conf import settings
from django.urls import reverse
from django.utils import translation

SAME_ORIGIN = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}


def url_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def post_consent(client, action: str, *, language: str = "fr", headers=None, **choices):
    data = {"action": action, "source": "banner", "next": url_in(language, "home")}
    data.update({name: "on" for name, allowed in choices.items() if allowed})
    headers = SAME_ORIGIN if headers is None else headers
    return client.post(url_in(language, "consent_update"), data, headers=headers)


def consent_cookie(response):
    return response.cookies.get(settings.PRIVACY_CONSENT_COOKIE_NAME)


@dataclass
class BrowserForm:
    action: str
    method: str
    inputs: list[dict[str, str]] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)

    def submit(self, client, *, press: str, tick: tuple[str, ...] | None = None, headers=None):
        """Press the button whose value is ``press``; ``tick`` sets the checkboxes."""
        data: dict[str, list[str]] = {}
        for attrs in self.inputs:
            if "disabled" in attrs or "name" not in attrs:
                continue
            kind = attrs.get("type", "text")
            if kind == "checkbox":
                ticked = attrs["name"] in tick if tick is not None else "checked" in attrs
                if not ticked:
                    continue
            data.setdefault(attrs["name"], []).append(attrs.get("value", "on"))
        button = next(b for b in self.buttons if b.get("value") == press)
        data.setdefault(button["name"], []).append(button["value"])
        assert self.method == "post"
        return client.post(self.action, data, headers=SAME_ORIGIN if headers is None else headers)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[BrowserForm] = []
        self._current: BrowserForm | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self._current = BrowserForm(attrs.get("action", ""), attrs.get("method", "get"))
            self.forms.append(self._current)
        elif self._current is not None and tag == "input":
            self._current.inputs.append(attrs)
        elif self._current is not None and tag == "button":
            self._current.buttons.append(attrs)
        elif self._current is not None and tag == "a":
            self._current.links.append(attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms_in(html: str) -> list[BrowserForm]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_posting_to(html: str, action: str) -> BrowserForm:
    matches = [form for form in forms_in(html) if form.action == action]
    assert matches, f"no form posts to {action}"
    return matches[0]
