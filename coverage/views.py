"""Thin views: parse the request, call one selector or service, render."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from members.decorators import member_required as members_member_required
from members.models import Member
from members.ratelimit import rate_limit_hit
from privacy.ip import request_ip

from . import proof, selectors, services, summary_page
from .app_settings import app_settings
from .calendar import deadline_ics
from .forms import BenefitSearchForm, EnrolmentForm, EstimateForm
from .models import Benefit, Claim, Plan

# Coverage pages need the member record; without one, the visitor is sent to claim it.
member_required = members_member_required(
    message=gettext_lazy(
        "Rattachez d’abord votre dossier de membre à votre compte pour voir votre couverture."
    )
)


def _person_or_404(member: Member, person_id: uuid.UUID) -> selectors.Person:
    try:
        return selectors.member_person(member=member, person_id=person_id)
    except selectors.PersonNotFound as exc:
        raise Http404 from exc


@member_required
@require_safe
def summary(request: HttpRequest) -> HttpResponse:
    content = summary_page.summary_content(member=request.member)
    return render(request, "coverage/summary.html", {"content": content})


@member_required
@require_safe
def estimate(request: HttpRequest) -> HttpResponse:
    member = request.member
    today = timezone.localdate()
    plan, benefits = selectors.plan_with_benefits(association_id=member.association_id, on=today)
    persons = selectors.coverage_persons(member=member)
    search = BenefitSearchForm(request.GET or None)
    matches = []
    if search.is_valid() and search.cleaned_data["q"]:
        matches = selectors.benefit_search(benefits=benefits, query=search.cleaned_data["q"])
    chosen_key = request.GET.get("benefit", "")
    chosen = next((b for b in benefits if b.key == chosen_key), None)
    if chosen is None and len(matches) == 1:
        chosen = matches[0]
    form = result = None
    if chosen is not None:
        data = request.GET if "cost" in request.GET else None
        form = EstimateForm(
            data,
            benefits=benefits,
            persons=persons,
            initial={"benefit": chosen.key, "person": str(member.id)},
        )
        if form.is_valid():
            try:
                result = selectors.coverage_estimate(
                    member=member,
                    person_id=uuid.UUID(form.cleaned_data["person"]),
                    benefit_key=form.cleaned_data["benefit"],
                    on=form.cleaned_data["on"],
                    cost=form.cleaned_data["cost"],
                    in_network=form.cleaned_data["in_network"],
                )
            except selectors.PersonNotFound as exc:
                raise Http404 from exc
            except Benefit.DoesNotExist:
                form.add_error("on", _("Votre régime ne couvre pas cette garantie à cette date."))
    context = {
        "plan": plan,
        "search": search,
        "matches": matches,
        "searched": bool(search.is_bound and request.GET.get("q")),
        "chosen": chosen,
        "form": form,
        "result": result,
        "benefits": benefits,
    }
    return render(request, "coverage/estimate.html", context)


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def enrolment(request: HttpRequest) -> HttpResponse:
    member = request.member
    overview = selectors.enrolment_overview(member=member)
    form = EnrolmentForm(request.POST or None, request.FILES or None, persons=overview.persons)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_change(
                member=member,
                person_id=uuid.UUID(form.cleaned_data["person"]),
                part=form.cleaned_data["part"],
                covered=form.cleaned_data["choice"] == EnrolmentForm.COVERED,
                proof=form.cleaned_data.get("proof"),
            )
        except selectors.PersonNotFound as exc:
            raise Http404 from exc
        except ValidationError as error:
            field = (
                "proof"
                if error.code in ("proof_required", "too_large", "bad_type", "empty")
                else None
            )
            form.add_error(field, error)
        else:
            messages.success(
                request,
                _(
                    "C’est fait : votre choix est enregistré. "
                    "Une confirmation vous est envoyée par courriel."
                ),
            )
            return redirect("coverage_enrolment")
    context = {
        "overview": overview,
        "form": form,
        "deadlines": selectors.deadline_days(windows=overview.windows),
    }
    return render(request, "coverage/enrolment.html", context, status=400 if form.errors else 200)


@member_required
@require_safe
def deadline_calendar(request: HttpRequest) -> HttpResponse:
    overview = selectors.enrolment_overview(member=request.member)
    if overview.plan is None:
        raise Http404
    windows = [w for w in overview.windows if not w.end < overview.on]
    body = deadline_ics(
        windows=windows or overview.windows,
        plan_name=overview.plan.name,
        url=request.build_absolute_uri(reverse("coverage_enrolment")),
        uid_base=str(request.member.id),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="changement-de-couverture.ics"'
    return response


@member_required
@require_safe
def claims(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("page", "1")
    if not number.isdigit() or not 1 <= int(number) <= 100_000:
        raise Http404
    page = selectors.claim_page(member=request.member, number=int(number))
    if not page.claims and page.number > 1:
        raise Http404  # past the last page
    return render(request, "coverage/claims.html", {"claims": page.claims, "page": page})


@member_required
@require_safe
def claim_detail(request: HttpRequest, claim_id: uuid.UUID) -> HttpResponse:
    try:
        claim = selectors.claim_get(member=request.member, claim_id=claim_id)
    except Claim.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "coverage/claim_detail.html", {"claim": claim})


def _verify_url(request: HttpRequest, person_id: uuid.UUID) -> str:
    token = proof.proof_token_issue(person_id=person_id)
    return request.build_absolute_uri(reverse("coverage_verify", args=[token]))


@member_required
@require_safe
def card(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    persons = selectors.coverage_persons(member=request.member)
    person = next((p for p in persons if p.id == person_id), None)
    if person is None:
        raise Http404
    person_proof = selectors.proof_of(member=request.member, person=person)
    context = {
        "person": person,
        "persons": persons,
        "proof": person_proof,
        "token_days": max(1, app_settings.PROOF_TOKEN_MAX_AGE // 86400),
        "service_centre_phone": settings.SERVICE_CENTRE_PHONE,
    }
    # No covered part, no proof of coverage: no QR code, link or letter to show a clinic.
    if person_proof.covered_parts:
        verify_url = _verify_url(request, person.id)
        context.update(qr=proof.qr_svg_data_uri(verify_url), verify_url=verify_url)
    return render(request, "coverage/card.html", context)


@member_required
@require_safe
def attestation(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = _person_or_404(request.member, person_id)
    language = request.GET.get("langue") or request.GET.get("lang") or translation.get_language()
    language = language if language in ("fr", "en") else "fr"
    person_proof = selectors.proof_of(member=request.member, person=person)
    if not person_proof.covered_parts:
        # An attestation says the person is covered: there is nothing to attest.
        return redirect("coverage_card", person_id=person.id)
    with translation.override(language):
        # Everything the letter says in the letter's language, names of the plan included.
        verify_url = _verify_url(request, person.id)
        person_proof = selectors.proof_of(member=request.member, person=person)
    pdf = proof.attestation_pdf(
        proof=person_proof,
        verify_url=verify_url,
        language=language,
        brand=request.portal_site["brand"],
        today=timezone.localdate(),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = "attestation-de-couverture.pdf" if language == "fr" else "proof-of-coverage.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _verify_rate_limited(request: HttpRequest) -> bool:
    """Per network (the truncated address, never the full one), per minute."""
    return rate_limit_hit(
        key=f"coverage:verify:{request_ip(request) or 'unknown'}",
        limit=app_settings.VERIFY_RATE_LIMIT,
        period=60,
    )


@require_safe
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: what a clinic needs, nothing more; no sign-in, no cookie."""
    if _verify_rate_limited(request):
        response = render(request, "coverage/verify.html", {"error": "rate"}, status=429)
        response["Retry-After"] = "60"
        return response
    context: dict = {}
    status = 200
    try:
        person_id = proof.proof_token_read(token=token)
        context["proof"] = selectors.proof_for_person(person_id=person_id)
    except proof.ProofTokenExpired:
        context["error"], status = "expired", 410
    except (proof.ProofTokenInvalid, Member.DoesNotExist):
        context["error"], status = "invalid", 404
    response = render(request, "coverage/verify.html", context, status=status)
    patch_cache_control(response, no_store=True, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "coverage/plan_list.html", {"associations": selectors.association_list()}
    )


@require_safe
def plan_detail(request: HttpRequest, association_slug: str) -> HttpResponse:
    try:
        plan = selectors.public_plan(association_slug=association_slug)
    except Plan.DoesNotExist as exc:
        raise Http404 from exc
    today = timezone.localdate()
    context = {
        "plan": plan,
        "windows": selectors.plan_windows(plan=plan, on=today),
    }
    return render(request, "coverage/plan_detail.html", context)
