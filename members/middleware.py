"""Session lifetime; the staff MFA gate is privacy.staff.middleware.AdminGateMiddleware."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from privacy.staff.middleware import AdminGateMiddleware

SESSION_STARTED_KEY = "aseq_session_started"
SESSION_SEEN_KEY = "aseq_session_seen"


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


# The staff MFA gate now lives in privacy's admin gate, which checks MFA and
# then the current confidentiality agreement; the old name stays importable.
StaffMFARequiredMiddleware = AdminGateMiddleware
