"""Member pages: submit a request, follow it, download the export. Thin: services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from privacy.dates import date_text
from privacy.requests import correction_topics, corrections, deletion, exports, selectors, services
from privacy.requests.forms import AccessRequestForm, DeletionRequestForm, ReplyForm
from privacy.requests.models import RequestKind
from privacy.requests.reauth import recent_authentication_required


def _data(request: HttpRequest):
    """The posted data, bound even when empty (an empty form must show its errors)."""
    return request.POST if request.method == "POST" else None


def _submitted(request: HttpRequest, privacy_request) -> HttpResponse:
    messages.success(
        request,
        _(
            "Votre demande est reçue. Référence : %(reference)s. Nous vous répondrons au plus "
            "tard le %(due)s. Un accusé de réception vous est envoyé par courriel."
        )
        % {
            "reference": privacy_request.reference,
            "due": date_text(privacy_request.due_on),
        },
    )
    return redirect("privacy_request_detail", request_id=privacy_request.pk)


def _already_open(request: HttpRequest, kind: str) -> HttpResponse | None:
    if kind in selectors.privacy_request_open_kinds(account=request.user):
        messages.info(request, _("Vous avez déjà une demande de ce type en cours."))
        return redirect("privacy_request_list")
    return None


@never_cache
@login_required
@require_safe
def request_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/requests/list.html",
        {
            "privacy_requests": selectors.privacy_request_list(account=request.user),
            "open_kinds": selectors.privacy_request_open_kinds(account=request.user),
        },
    )


def _submit(request: HttpRequest, form, kind: str, **extra) -> HttpResponse | None:
    """Submit a valid request form; a refusal (one open per kind...) becomes a form error."""
    try:
        privacy_request = services.privacy_request_submit(
            account=request.user,
            kind=kind,
            details=form.cleaned_data["details"],
            http_request=request,
            **extra,
        )
    except services.PrivacyRequestError as error:
        form.add_error(None, error)
        return None
    return _submitted(request, privacy_request)


@never_cache
@login_required
@recent_authentication_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_access(request: HttpRequest) -> HttpResponse:
    if refused := _already_open(request, RequestKind.ACCESS):
        return refused
    form = AccessRequestForm(_data(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and (submitted := _submit(request, form, RequestKind.ACCESS))
    ):
        return submitted
    return render(request, "privacy/requests/new_access.html", {"form": form})


@never_cache
@login_required
@recent_authentication_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_deletion(request: HttpRequest) -> HttpResponse:
    if refused := _already_open(request, RequestKind.DELETION):
        return refused
    form = DeletionRequestForm(_data(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and (submitted := _submit(request, form, RequestKind.DELETION))
    ):
        return submitted
    plan = deletion.deletion_plan(user=request.user)
    return render(request, "privacy/requests/new_deletion.html", {"form": form, "plan": plan})


@never_cache
@login_required
@require_safe
def request_detail(request: HttpRequest, request_id) -> HttpResponse:
    privacy_request = selectors.privacy_request_get(account=request.user, request_id=request_id)
    return render(
        request,
        "privacy/requests/detail.html",
        _detail_context(privacy_request, ReplyForm()),
    )


def _items_shown(privacy_request) -> list[tuple]:
    """Each field asked, named and valued as the portal shows it (the row may be gone)."""
    topics = correction_topics.correction_topics(user=privacy_request.member)
    shown = []
    for item in privacy_request.correction_items.all():
        found = correction_topics.topic_for_token(
            topics, f"{item.model_label}|{item.object_id}|{item.field_name}"
        )
        if found is None:
            label = corrections.correction_field_label(item.model_label, item.field_name)
            shown.append((item, label, item.current_value or "—", item.proposed_value or "—"))
            continue
        topic, topic_field = found

        def value(text, topic_field=topic_field):
            return correction_topics.value_display(
                text, kind=topic_field.kind, choices=topic_field.choices
            )

        shown.append(
            (
                item,
                f"{topic.label} — {topic_field.label}",
                value(item.current_value),
                value(item.proposed_value),
            )
        )
    return shown


def _detail_context(privacy_request, reply_form) -> dict:
    archive = getattr(privacy_request, "export", None) if privacy_request.kind == "access" else None
    return {
        "privacy_request": privacy_request,
        "timeline": selectors.privacy_request_timeline(privacy_request=privacy_request),
        "items": _items_shown(privacy_request),
        "archive": archive if archive and archive.released_at else None,
        "reply_form": reply_form,
    }


@never_cache
@login_required
@require_POST
def request_reply(request: HttpRequest, request_id) -> HttpResponse:
    privacy_request = selectors.privacy_request_get(account=request.user, request_id=request_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.privacy_request_member_reply(
                privacy_request=privacy_request,
                account=request.user,
                body=form.cleaned_data["body"],
                http_request=request,
            )
        except services.PrivacyRequestError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Votre message est envoyé."))
            return redirect("privacy_request_detail", request_id=privacy_request.pk)
    return render(
        request, "privacy/requests/detail.html", _detail_context(privacy_request, form), status=400
    )


@never_cache
@login_required
@require_safe
def export_download(request: HttpRequest, request_id) -> HttpResponse:
    privacy_request = selectors.privacy_request_get(account=request.user, request_id=request_id)
    if privacy_request.kind != RequestKind.ACCESS:
        raise Http404
    try:
        content = exports.export_download(
            privacy_request=privacy_request, account=request.user, http_request=request
        )
    except exports.ExportUnavailable:
        return render(
            request,
            "privacy/requests/export_gone.html",
            {"privacy_request": privacy_request},
            status=410,
        )
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.export_filename(privacy_request)}"'
    )
    return response
