"""The privacy centre, the consent form's target, the cookie page, policy acknowledgement.

Thin: each parses input and calls one service or selector.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from privacy.consent.cookies import (
    CATEGORY_DESCRIPTIONS,
    CATEGORY_LABELS,
    OPTIONAL_CATEGORIES,
    ConsentCategory,
    cookie_declarations,
    gpc_refuses,
)
from privacy.consent.forms import ConsentForm, PolicyAcknowledgeForm
from privacy.consent.http import request_is_same_origin, safe_next
from privacy.consent.policy_models import PolicyKind
from privacy.consent.policy_text import parse_policy
from privacy.consent.selectors import (
    HISTORY_LIMIT,
    consent_history,
    consent_state,
    policy_version_current,
    policy_versions_to_acknowledge,
)
from privacy.consent.services import consent_record, policy_acknowledge
from privacy.consent.state import consent_cookie_value, consent_cookie_write
from privacy.ip import client_address


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


@require_safe
def privacy_centre(request: HttpRequest) -> HttpResponse:
    state = consent_state(request=request)
    recorded = state.recorded_choices()
    categories = [
        {
            "value": category.value,
            "label": CATEGORY_LABELS[category],
            "description": CATEGORY_DESCRIPTIONS[category],
            "gpc_refused": gpc_refuses(category, gpc=state.gpc),
            "checked": recorded[category.value] and not gpc_refuses(category, gpc=state.gpc),
        }
        for category in OPTIONAL_CATEGORIES
    ]
    history = consent_history(user=request.user, consent_id=state.consent_id)[:HISTORY_LIMIT]
    return render(
        request,
        "privacy/centre.html",
        {
            "categories": categories,
            "essential_description": CATEGORY_DESCRIPTIONS[ConsentCategory.ESSENTIAL],
            "history": history,
            "history_limit": HISTORY_LIMIT,
            "saved": request.GET.get("saved") == "1",
        },
    )


@csrf_exempt  # Reading pages carry this form and must set no cookie: origin is checked instead.
@require_POST
def consent_update(request: HttpRequest) -> HttpResponse:
    if not request_is_same_origin(request):
        return render(request, "403.html", status=403)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Ce choix n’a pas pu être lu. Veuillez réessayer."))
    state = consent_state(request=request)
    record = consent_record(
        consent_id=state.consent_id,
        choices=form.choices(),
        gpc=state.gpc,
        language=translation.get_language(),
        source=form.cleaned_data["source"],
        ip_address=client_address(request),
        user=request.user,
    )
    response = HttpResponseSeeOther(
        safe_next(request, form.cleaned_data["next"], default=reverse("home"))
    )
    consent_cookie_write(
        response,
        consent_cookie_value(
            consent_id=record.consent_id,
            versions=(record.privacy_policy_version.version, record.cookie_policy_version.version),
            choices=record.choices,
        ),
    )
    # A withdrawal also removes what the browser already holds.
    for declaration in cookie_declarations():
        if (
            declaration.category != ConsentCategory.ESSENTIAL
            and not record.choices.get(declaration.category.value)
            and declaration.name in request.COOKIES
        ):
            response.delete_cookie(declaration.name)
    return response


@require_safe
def cookie_policy(request: HttpRequest) -> HttpResponse:
    version = policy_version_current(kind=PolicyKind.COOKIES)
    language = translation.get_language()
    declarations = list(cookie_declarations())
    categories = [
        {
            "value": category.value,
            "label": CATEGORY_LABELS[category],
            "description": CATEGORY_DESCRIPTIONS[category],
            "cookies": [d for d in declarations if d.category == category],
        }
        for category in ConsentCategory
    ]
    return render(
        request,
        "privacy/cookies.html",
        {
            "version": version,
            "blocks": parse_policy(version.text_for(language)) if version else [],
            "categories": categories,
        },
    )


@login_required
@require_POST
def policy_acknowledge_view(request: HttpRequest) -> HttpResponse:
    form = PolicyAcknowledgeForm(
        request.POST, pending=policy_versions_to_acknowledge(user=request.user)
    )
    if form.is_valid():
        policy_acknowledge(user=request.user, versions=form.versions_read())
    return HttpResponseSeeOther(
        safe_next(request, request.POST.get("next"), default=reverse("home"))
    )
