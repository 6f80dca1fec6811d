"""The policy pages: the privacy policy in force, and the history of every version."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from privacy.consent.policy_models import PolicyKind
from privacy.consent.policy_text import parse_policy, policy_text
from privacy.consent.selectors import (
    policy_version_current,
    policy_version_get,
    policy_version_list,
)


@require_safe
def policy(request: HttpRequest) -> HttpResponse:
    version = policy_version_current(kind=PolicyKind.PRIVACY)
    blocks = (
        parse_policy(version.text_for(translation.get_language())) if version else policy_text()
    )
    return render(request, "privacy/policy.html", {"policy": blocks, "version": version})


@require_safe
def policy_history(request: HttpRequest) -> HttpResponse:
    versions = list(policy_version_list())
    kinds = [
        {
            "kind": kind,
            "label": label,
            "versions": [v for v in versions if v.kind == kind],
        }
        for kind, label in PolicyKind.choices
    ]
    return render(request, "privacy/policy_history.html", {"kinds": kinds})


@require_safe
def policy_version(request: HttpRequest, kind: str, version: int) -> HttpResponse:
    found = policy_version_get(kind=kind, version=version)
    if found is None:
        raise Http404
    current = policy_version_current(kind=kind)
    return render(
        request,
        "privacy/policy_version.html",
        {
            "version": found,
            "blocks": parse_policy(found.text_for(translation.get_language())),
            "changes": found.changes_for(translation.get_language()),
            "current": current,
        },
    )
