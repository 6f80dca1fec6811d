"""The member's corner: thin views that parse, call one service and render."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from privacy.consent.api import ConsentCategory, consent_allows
from privacy.staff.api import staff_views_of

from . import hooks, rules, selectors, services, signin
from .app_settings import app_settings
from .decorators import member_required
from .forms import ClaimForm, DependantForm, ProfileForm, ProviderSearchForm, SignInUnlockForm
from .geo import area_centroid, nearest_area
from .models import ClaimAttempt
from .origin import origin_of


def correction_url() -> str:
    """Where insurer-owned details are corrected: a correction request."""
    return reverse("privacy_request_correction")


@login_required
@require_safe
def account_overview(request: HttpRequest) -> HttpResponse:
    member = selectors.member_for_user(user=request.user)
    return render(request, "members/account_overview.html", {"member": member})


# --- Claim your record ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest) -> HttpResponse:
    member = selectors.member_for_user(user=request.user)
    form = ClaimForm(request.POST if request.method == "POST" else None)
    failure = None
    status = 200
    if request.method == "POST" and form.is_valid():
        result = services.member_claim(
            user=request.user,
            association=form.cleaned_data["association"],
            student_number=form.cleaned_data["student_number"],
            date_of_birth=form.cleaned_data["date_of_birth"],
            origin=origin_of(request),
        )
        if result.succeeded:
            messages.success(
                request, _("Votre dossier de membre est maintenant rattaché à votre compte.")
            )
            return redirect("account_overview")
        # The same answer whether nothing matched or the record is already linked;
        # nothing typed is echoed back.
        form = ClaimForm()
        if result.rate_limited:
            failure, status = (
                _("Trop de tentatives. Réessayez dans une heure ou communiquez avec nous."),
                429,
            )
        elif result.outcome == ClaimAttempt.Outcome.ALREADY_LINKED:
            member = selectors.member_for_user(user=request.user)
        else:
            failure = _(
                "Nous ne pouvons pas rattacher un dossier avec ces renseignements. Vérifiez "
                "votre numéro d’étudiant, votre date de naissance et votre école, ou "
                "communiquez avec nous."
            )
    return render(
        request,
        "members/claim.html",
        {"form": form, "failure": failure, "member": member},
        status=status,
    )


# --- Profile ----------------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    member = request.member
    form = ProfileForm.for_member(member, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        changed = services.member_profile_update(
            member=member, changes=form.cleaned_data, origin=origin_of(request)
        )
        if changed:
            messages.success(request, _("Vos changements sont enregistrés."))
        else:
            messages.info(request, _("Aucun changement à enregistrer."))
        return redirect("members_profile")
    return render(
        request,
        "members/profile.html",
        {
            "member": member,
            "form": form,
            "dependants": selectors.dependants_of(member=member),
            "correction_url": correction_url(),
        },
    )


# --- Dependants -----------------------------------------------------------------


def _with_adult_flag(dependants):
    today = timezone.localdate()
    return [(dependant, rules.is_adult(dependant.date_of_birth, today)) for dependant in dependants]


@member_required
@require_safe
def dependants(request: HttpRequest) -> HttpResponse:
    member = request.member
    dependants = selectors.dependants_of(member=member)
    full = rules.dependants_full(len(dependants))
    return render(
        request,
        "members/dependants.html",
        {
            "member": member,
            "dependants": _with_adult_flag(dependants),
            "correction_url": correction_url(),
            "full": full.messages[0] if full else None,
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def dependant_add(request: HttpRequest) -> HttpResponse:
    member = request.member
    if full := rules.dependants_full(len(selectors.dependants_of(member=member))):
        messages.error(request, full.messages[0])
        return redirect("members_dependants")
    form = DependantForm(request.POST if request.method == "POST" else None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.dependant_add(
                member=member,
                relationship=form.cleaned_data["relationship"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                date_of_birth=form.cleaned_data["date_of_birth"],
                origin=origin_of(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "La personne à charge est ajoutée à votre dossier. Ce n’est pas une "
                    "inscription : sa couverture dépend de la période de changement."
                ),
            )
            return redirect("members_dependants")
    return render(
        request,
        "members/dependant_form.html",
        {
            "form": form,
            "dependant": None,
            "child_max_age": app_settings.CHILD_MAX_AGE,
            "coverage_notice": hooks.new_dependant_notice(member=member),
        },
    )


def _own_dependant(request: HttpRequest, dependant_id):
    dependant = selectors.dependant_of_member(member=request.member, dependant_id=dependant_id)
    if dependant is None:
        raise Http404
    return dependant


@member_required
@require_http_methods(["GET", "POST"])
def dependant_edit(request: HttpRequest, dependant_id) -> HttpResponse:
    dependant = _own_dependant(request, dependant_id)
    if rules.is_adult(dependant.date_of_birth, timezone.localdate()):
        if request.method == "POST":
            messages.error(request, rules.MESSAGES["adult_read_only"])
        return render(
            request,
            "members/dependant_overview.html",
            {"dependant": dependant, "correction_url": correction_url()},
        )
    form = DependantForm(
        request.POST if request.method == "POST" else None,
        member=request.member,
        dependant=dependant,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.dependant_update(
                dependant=dependant,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                date_of_birth=form.cleaned_data["date_of_birth"],
                origin=origin_of(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Les renseignements sont mis à jour."))
            return redirect("members_dependants")
    return render(request, "members/dependant_form.html", {"form": form, "dependant": dependant})


@member_required
@require_http_methods(["GET", "POST"])
def dependant_remove(request: HttpRequest, dependant_id) -> HttpResponse:
    dependant = _own_dependant(request, dependant_id)
    if request.method == "POST":
        services.dependant_remove(dependant=dependant, origin=origin_of(request))
        messages.success(request, _("La personne à charge est retirée de votre dossier."))
        return redirect("members_dependants")
    return render(request, "members/dependant_remove.html", {"dependant": dependant})


# --- Activity -------------------------------------------------------------------


@login_required
@require_safe
def activity(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "members/activity.html",
        {
            "items": selectors.activity_for(user=request.user),
            "retention_days": app_settings.ACTIVITY_RETENTION.days,
            # Who on staff (by role, never by name) opened this member's data (P25).
            "staff_views": staff_views_of(
                user=request.user, since=timezone.now() - app_settings.ACTIVITY_RETENTION
            ),
        },
    )


# --- Nearby providers -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def providers(request: HttpRequest) -> HttpResponse:
    member = selectors.member_for_user(user=request.user)
    consent = consent_allows(request=request, category=ConsentCategory.LOCATION)
    stored = selectors.location_of(member=member) if consent else None
    form = ProviderSearchForm(request.POST if request.method == "POST" else None)
    area = stored.area if stored else None
    centre = area_centroid(area) if area else None
    searched = False
    if request.method == "POST" and form.is_valid():
        searched = True
        area = form.cleaned_data.get("area")
        if area is None:  # a browser position: only its nearest known area is kept
            position = (form.cleaned_data["latitude"], form.cleaned_data["longitude"])
            area = nearest_area(position)
            centre = area_centroid(area) if area else (round(position[0], 2), round(position[1], 2))
        else:
            centre = area_centroid(area)
            if centre is None:
                form.add_error("postal_code", _("Ce secteur ne figure pas dans notre répertoire."))
        if area and centre:
            services.location_remember(
                member=member, area=area, consent=consent, origin=origin_of(request)
            )
    results = (
        selectors.providers_near(
            centre=centre, kind=form.cleaned_data.get("kind", "") if searched else ""
        )
        if centre and not form.errors
        else []
    )
    return render(
        request,
        "members/providers.html",
        {
            "form": form,
            "results": results,
            "area": area,
            "stored": stored,
            "consent": consent,
            "consent_url": reverse("privacy_centre"),
            "searched": searched or stored is not None,
        },
    )


@login_required
@require_POST
def location_forget(request: HttpRequest) -> HttpResponse:
    member = selectors.member_for_user(user=request.user)
    if member is not None and services.location_forget(member=member, origin=origin_of(request)):
        messages.success(request, _("Votre secteur approximatif est effacé."))
    return redirect("members_providers")


# --- Unlock sign-in by e-mail ------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signin_unlock_request(request: HttpRequest) -> HttpResponse:
    """Ask for an unlock link; the answer is the same whether or not the address has an account."""
    form = SignInUnlockForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        signin.signin_unlock_request(request=request, email=form.cleaned_data["email"])
        return render(request, "members/signin_unlock_sent.html")
    return render(request, "members/signin_unlock_request.html", {"form": form})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signin_unlock(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed link: a button, so a mail scanner opening it spends nothing."""
    if request.method != "POST":
        return render(request, "members/signin_unlock.html")
    try:
        user = signin.signin_unlock_redeem(token=token)
    except signin.UnlockInvalid:
        return render(request, "members/signin_unlock.html", {"invalid": True}, status=400)
    signin.signin_locks_lift(
        request=request, login=user.email, network=get_adapter(request).get_client_ip(request)
    )
    messages.success(
        request, _("La connexion est débloquée sur cet appareil. Connectez-vous maintenant.")
    )
    response = redirect("account_login")
    signin.known_device_remember(request, response, user=user)
    return response
