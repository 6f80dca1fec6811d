"""Sign-in limits that stop brute force without handing anyone a lock-out button.

allauth's own limit counted failures per e-mail (5 in 5 minutes, correct password
included) and per /24 (10 a minute): anyone could lock a member out, and one
campus network locked everyone on it. Failures are now counted:

- on a **known device** (a signed cookie set when the member last signed in
  there): only that device's own failures, per account; nobody elsewhere can
  lock it, and a thief holding it is still held to a few tries;
- from **any other client**: per account *and* client network, per account
  across all such clients (the ceiling for an attacker with many addresses), and
  per network across accounts (credential stuffing).

A member locked out on a new device unlocks by e-mail: a signed, one-time link
that lifts the account's locks and makes the browser that opens it a known device.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from .app_settings import app_settings
from .models import User

APP = "members.signin"
COOKIE_SALT = "members.known_device"
UNLOCK_SALT = "members.signin_unlock"
# Accounts remembered by one browser (a family computer): the most recent first.
DEVICE_ACCOUNTS_MAX = 5


class SignInLocked(Exception):
    """Too many failures for this account from this client: refuse before checking."""


# --- Known devices ------------------------------------------------------------


def _account_token(user: User) -> str:
    """What the cookie keeps of an account: a keyed hash, never its id or e-mail."""
    return salted_hmac(COOKIE_SALT, f"account:{user.pk}").hexdigest()[:24]


@dataclass(frozen=True)
class KnownDevice:
    device_id: str
    accounts: tuple[str, ...]

    def knows(self, user: User) -> bool:
        return _account_token(user) in self.accounts


def known_device_read(request: HttpRequest) -> KnownDevice | None:
    """The device's cookie when its signature and age hold; None otherwise."""
    value = request.get_signed_cookie(
        app_settings.KNOWN_DEVICE_COOKIE_NAME,
        default=None,
        salt=COOKIE_SALT,
        max_age=app_settings.KNOWN_DEVICE_COOKIE_AGE,
    )
    if not value or ":" not in value:
        return None
    device_id, _, accounts = value.partition(":")
    return KnownDevice(device_id, tuple(filter(None, accounts.split("."))))


def known_device_remember(request: HttpRequest, response: HttpResponse, *, user: User) -> None:
    """Set (or renew) the cookie naming this browser as one the member signs in from."""
    device = known_device_read(request)
    device_id = device.device_id if device else secrets.token_urlsafe(12)
    token = _account_token(user)
    others = [t for t in (device.accounts if device else ()) if t != token]
    accounts = [token, *others][:DEVICE_ACCOUNTS_MAX]
    response.set_signed_cookie(
        app_settings.KNOWN_DEVICE_COOKIE_NAME,
        f"{device_id}:{'.'.join(accounts)}",
        salt=COOKIE_SALT,
        max_age=app_settings.KNOWN_DEVICE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- Counting failures --------------------------------------------------------


def _account_key(login: str) -> str:
    """The account as typed (case folded): the same for a real and an unknown address."""
    return hashlib.sha256(login.strip().lower().encode()).hexdigest()


def _user_for_login(login: str) -> User | None:
    from allauth.account.utils import filter_users_by_email

    users = filter_users_by_email(login.strip(), is_active=True, prefer_verified=True)
    return users[0] if users else None


def _limits(*, account: str, network: str, device: KnownDevice | None) -> list[tuple[str, str]]:
    """(rate, key) for each count this attempt goes into."""
    if device is not None:
        return [(app_settings.SIGNIN_FAILURES_PER_DEVICE, f"device:{account}:{device.device_id}")]
    return [
        (app_settings.SIGNIN_FAILURES_PER_CLIENT, f"client:{account}:{network}"),
        (app_settings.SIGNIN_FAILURES_PER_ACCOUNT, f"account:{account}"),
        (app_settings.SIGNIN_FAILURES_PER_NETWORK, f"network:{network}"),
    ]


def _consume(request: HttpRequest, rate: str, key: str):
    action = key.split(":", 1)[0]
    return allauth_ratelimit.consume(
        request, app=APP, action=action, config={action: f"{rate}/key"}, key=key
    )


def _clear(request: HttpRequest, rate: str, key: str) -> None:
    action = key.split(":", 1)[0]
    allauth_ratelimit.clear(
        request, app=APP, action=action, config={action: f"{rate}/key"}, key=key
    )


@dataclass
class SignInAttempt:
    """The counts one attempt took; given back when the password proves right."""

    usages: list

    def succeeded(self) -> None:
        for usage in self.usages:
            usage.rollback()


def signin_attempt_begin(*, request: HttpRequest, login: str, network: str) -> SignInAttempt:
    """Count this attempt before the password is checked; raise SignInLocked past a limit.

    Counted up front (and given back on success) so parallel guesses cannot slip
    past the limit, as allauth does.
    """
    device = known_device_read(request)
    if device is not None:
        user = _user_for_login(login)
        if user is None or not device.knows(user):
            device = None
    usages = []
    for rate, key in _limits(account=_account_key(login), network=network, device=device):
        usage = _consume(request, rate, key)
        if usage is None:
            raise SignInLocked
        usages.append(usage)
    return SignInAttempt(usages)


def signin_locks_lift(*, request: HttpRequest, login: str, network: str) -> None:
    """Forget the account's failures from unknown clients (unlock, password reset)."""
    account = _account_key(login)
    for rate, key in _limits(account=account, network=network, device=None)[:2]:
        _clear(request, rate, key)


# --- Unlock by e-mail ---------------------------------------------------------


def signin_unlock_token(*, user: User) -> str:
    """A signed link token: whose account, and a nonce spent when it is used."""
    return signing.dumps({"u": str(user.pk), "n": secrets.token_urlsafe(16)}, salt=UNLOCK_SALT)


class UnlockInvalid(Exception):
    """The link is forged, expired or already used."""


def signin_unlock_redeem(*, token: str) -> User:
    """The account a valid, unused link unlocks; the link cannot be used again."""
    try:
        payload = signing.loads(
            token, salt=UNLOCK_SALT, max_age=app_settings.SIGNIN_UNLOCK_LINK_AGE
        )
    except signing.BadSignature as error:
        raise UnlockInvalid from error
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None:
        raise UnlockInvalid
    spent = f"members:signin:unlock-spent:{payload['n']}"
    if not cache.add(spent, True, timeout=app_settings.SIGNIN_UNLOCK_LINK_AGE + 60):
        raise UnlockInvalid
    return user


def signin_unlock_request(*, request: HttpRequest, email: str) -> None:
    """Mail an unlock link if an active account has this address; the same answer either way.

    A few mails per account an hour at most, so the form cannot flood a mailbox.
    """
    from allauth.account.adapter import get_adapter
    from django.urls import reverse

    if (
        _consume(request, app_settings.SIGNIN_UNLOCK_MAILS, f"unlock-mail:{_account_key(email)}")
        is None
    ):
        return
    user = _user_for_login(email)
    if user is None:
        return
    path = reverse("members_signin_unlock", kwargs={"token": signin_unlock_token(user=user)})
    get_adapter(request).send_mail(
        "members/email/signin_unlock",
        email.strip(),
        {
            "unlock_url": request.build_absolute_uri(path),
            "link_minutes": app_settings.SIGNIN_UNLOCK_LINK_AGE // 60,
        },
    )
