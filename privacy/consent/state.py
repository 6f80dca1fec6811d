"""A visitor's consent, as carried by their consent cookie (never by the session).

The cookie holds a signed value: the consent id, the policy versions the
choice was made under, and the categories allowed. Nothing else: anonymous
visitors get no session at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core import signing
from django.http import HttpRequest, HttpResponseBase

from privacy.consent.app_settings import app_settings
from privacy.consent.cookies import OPTIONAL_CATEGORIES, ConsentCategory, gpc_refuses

SIGNING_SALT = "privacy.consent.cookie"


def gpc_requested(request: HttpRequest) -> bool:
    """Global Privacy Control: the browser asks not to be tracked."""
    return request.headers.get("Sec-GPC", "").strip() == "1"


class _Allows:
    """``state.allows("location")`` in Python, ``consent.allows.location`` in templates."""

    do_not_call_in_templates = True

    def __init__(self, state: ConsentState) -> None:
        self._state = state

    def __call__(self, category: str) -> bool:
        return self._state.category_allowed(category)

    def __getitem__(self, category: str) -> bool:
        return self._state.category_allowed(category)


@dataclass
class ConsentState:
    consent_id: uuid.UUID | None = None
    choices: frozenset[str] = frozenset()
    # (privacy policy version, cookie policy version) the choice was made under.
    versions: tuple[int, int] | None = None
    gpc: bool = False
    # Returns the current (privacy, cookie) policy versions; called only when needed.
    current_versions: Callable[[], tuple[int, int]] = field(
        default=lambda: (0, 0), repr=False, compare=False
    )
    _current: tuple[int, int] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def allows(self) -> _Allows:
        return _Allows(self)

    def category_allowed(self, category: str) -> bool:
        if category == ConsentCategory.ESSENTIAL:
            return True
        if category not in self.choices:
            return False
        if gpc_refuses(category, gpc=self.gpc):
            return False
        return self.is_current

    @property
    def decided(self) -> bool:
        return self.consent_id is not None

    @property
    def is_current(self) -> bool:
        """A choice made under the policies now in force (a new version asks again)."""
        if not self.decided:
            return False
        if self._current is None:
            self._current = self.current_versions()
        return self.versions == self._current

    @property
    def banner_needed(self) -> bool:
        return not self.is_current

    @property
    def policy_changed(self) -> bool:
        """The visitor chose before a new policy version was published."""
        return self.decided and not self.is_current

    def recorded_choices(self) -> dict[str, bool]:
        """What the visitor last chose, per optional category (all False if undecided)."""
        return {category.value: category.value in self.choices for category in OPTIONAL_CATEGORIES}


def consent_cookie_value(
    *, consent_id: uuid.UUID, versions: tuple[int, int], choices: Mapping[str, bool]
) -> str:
    allowed = sorted(c.value for c in OPTIONAL_CATEGORIES if choices.get(c.value))
    payload = {"id": consent_id.hex, "v": list(versions), "c": allowed}
    return signing.dumps(payload, salt=SIGNING_SALT, compress=False)


def consent_cookie_read(
    value: str | None, *, gpc: bool, current_versions: Callable[[], tuple[int, int]]
) -> ConsentState:
    """The state a cookie value carries; an absent, forged or expired one is no choice."""
    undecided = ConsentState(gpc=gpc, current_versions=current_versions)
    if not value:
        return undecided
    try:
        payload = signing.loads(value, salt=SIGNING_SALT, max_age=app_settings.COOKIE_AGE)
        consent_id = uuid.UUID(hex=payload["id"])
        privacy_version, cookie_version = (int(v) for v in payload["v"])
        known = {c.value for c in OPTIONAL_CATEGORIES}
        choices = frozenset(c for c in payload["c"] if c in known)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return undecided
    return ConsentState(
        consent_id=consent_id,
        choices=choices,
        versions=(privacy_version, cookie_version),
        gpc=gpc,
        current_versions=current_versions,
    )


def consent_cookie_write(response: HttpResponseBase, value: str) -> None:
    response.set_cookie(
        app_settings.COOKIE_NAME,
        value,
        max_age=app_settings.COOKIE_AGE,
        path="/",
        secure=app_settings.COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
