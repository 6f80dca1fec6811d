"""Session lifetime and session activity; the staff MFA gate is
privacy.staff.middleware.AdminGateMiddleware."""

import functools
import hashlib
import time

from allauth import app_settings as allauth_settings
from allauth.usersessions import app_settings as usersessions_settings
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "aseq_session_started"
SESSION_SEEN_KEY = "aseq_session_seen"
# [when the session's activity was last written, fingerprint of its client]
SESSION_ACTIVITY_KEY = "aseq_session_activity"
SESSION_ACTIVITY_INTERVAL = 60


def session_limits(user) -> tuple[int, int]:
    """(idle timeout, absolute lifetime) in seconds; staff get shorter ones."""
    if user.is_staff:
        return settings.STAFF_SESSION_IDLE_TIMEOUT, settings.STAFF_SESSION_ABSOLUTE_LIFETIME
    return settings.SESSION_IDLE_TIMEOUT, settings.SESSION_ABSOLUTE_LIFETIME


class SessionLifetimeMiddleware:
    """Sign out after inactivity, and in any case after an absolute lifetime."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            idle, absolute = session_limits(user)
            started = request.session.setdefault(SESSION_STARTED_KEY, now)
            seen = request.session.get(SESSION_SEEN_KEY, now)
            if now - seen > idle or now - started > absolute:
                logout(request)
                messages.info(request, _("Votre session a expiré. Veuillez vous reconnecter."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            # Write the timestamp at most once a minute to spare the session store.
            if now - seen >= 60 or SESSION_SEEN_KEY not in request.session:
                request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


# The request headers allauth reads a client's address from (allauth.core.internal.httpkit),
# and its device: a change in any of them may be a new client.
_CLIENT_HEADERS = ("REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "HTTP_USER_AGENT")


@functools.cache
def _fingerprint_key(secret: str) -> bytes:
    return hashlib.sha256(f"members.session_activity|{secret}".encode()).digest()


def client_fingerprint(request) -> str:
    """A keyed digest of what names the client's network and device: the headers
    allauth reads the address from, and the user agent.

    Kept in the session to notice a change of client without a query; being keyed, it
    cannot be turned back into an address or a device. Computed on every signed-in
    request, so it digests the raw headers (one keyed BLAKE2b, key derived once)
    rather than asking allauth's adapter to parse the address: any change of the
    parsed address is a change of these headers.
    """
    meta = request.META
    header = allauth_settings.TRUSTED_CLIENT_IP_HEADER or ""
    values = [meta.get(name, "") for name in _CLIENT_HEADERS]
    if header:
        values.append(meta.get("HTTP_" + header.upper().replace("-", "_"), ""))
    values[2] = values[2][:500]
    key = _fingerprint_key(settings.SECRET_KEY)
    return hashlib.blake2b("|".join(values).encode(), key=key, digest_size=16).hexdigest()


class SessionActivityMiddleware:
    """allauth's active-sessions tracking (last seen, network, device), at most once a minute.

    Replaces allauth.usersessions' middleware, which opens a transaction and updates
    the session's row on every request. The list of active sessions shows minutes;
    a change of network or device is still written on the request that shows it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            usersessions_settings.TRACK_ACTIVITY
            and session is not None
            and session.session_key
            and request.user.is_authenticated
        ):
            now = int(time.time())
            client = client_fingerprint(request)
            written = session.get(SESSION_ACTIVITY_KEY)
            if not written or now - written[0] >= SESSION_ACTIVITY_INTERVAL or written[1] != client:
                UserSession.objects.create_from_request(request)
                session[SESSION_ACTIVITY_KEY] = [now, client]
        return self.get_response(request)
