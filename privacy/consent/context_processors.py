from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from privacy.consent.selectors import consent_state, policy_versions_to_acknowledge


def consent(request: HttpRequest) -> dict:
    """``consent`` (e.g. ``consent.allows.analytics``, ``consent.banner_needed``,
    ``consent.gpc``) and, for signed-in members, ``policy_notice``: the policy
    versions whose changes they have not yet read.
    """

    def notice():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        return policy_versions_to_acknowledge(user=user)

    return {
        "consent": consent_state(request=request),
        "policy_notice": SimpleLazyObject(notice),
    }
