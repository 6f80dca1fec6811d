from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .policy import policy_text


@require_safe
def policy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/policy.html", {"policy": policy_text()})
