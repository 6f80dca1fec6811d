"""Re-authentication before a request is submitted (it replaces the signed letter).

Within ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` the member must have proven their
password (sign-in or allauth's re-authentication) and, when they turned on
two-factor authentication, their second factor too. Whatever is missing is
asked for through allauth's own pages, which then bring the member back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import cast

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

FIRST_FACTOR_METHODS = {"password", "code", "socialaccount"}


def missing_step(request: HttpRequest) -> str | None:
    """The allauth URL name of the proof still missing, or None when recent enough."""
    records = get_authentication_records(request, request.user)
    horizon = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
    recent = [r for r in records if r.get("at", 0) >= horizon]
    mfa_enabled = is_mfa_enabled(request.user)
    passkey = any(r.get("method") == "mfa" and r.get("passwordless") for r in recent)
    first = passkey or any(r.get("method") in FIRST_FACTOR_METHODS for r in recent)
    # Only signed-in accounts reach a re-authentication step.
    if not first and cast(AbstractBaseUser, request.user).has_usable_password():
        return "account_reauthenticate"
    if mfa_enabled and not any(r.get("method") == "mfa" for r in recent):
        return "mfa_reauthenticate"
    return None


def recent_authentication_required(view: Callable) -> Callable:
    """Signed in, and recently re-authenticated (both factors when MFA is on)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        step = missing_step(request)
        if step is not None:
            return suspend_request(request, reverse(step))
        return view(request, *args, **kwargs)

    return wrapper
