"""The correction request, one question per page, no JavaScript needed.

Whose information -> which record -> which field (with its current value) -> the
exact value; the item joins a draft kept in the session; "add another" starts
again; the review page sends them all, with "something else" in free text and an
optional document. Steps 1 to 3 are GET forms (the choice travels in the query
string); only adding an item and sending write anything.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from privacy.requests import correction_topics as topics_mod
from privacy.requests import corrections, selectors, services
from privacy.requests.forms import (
    CorrectionFieldForm,
    CorrectionPersonForm,
    CorrectionRequestForm,
    CorrectionTopicForm,
    CorrectionValueForm,
)
from privacy.requests.models import RequestKind
from privacy.requests.reauth import recent_authentication_required
from privacy.requests.views import _submitted

DRAFT_KEY = "privacy_correction_draft"
DRAFT_MAX = 10


# --- The draft ---------------------------------------------------------------


def _draft(request: HttpRequest) -> list[dict]:
    return list(request.session.get(DRAFT_KEY, []))


def _draft_save(request: HttpRequest, items: list[dict]) -> None:
    request.session[DRAFT_KEY] = items


def draft_items(*, request: HttpRequest, topics: list) -> list[dict]:
    """The draft, each item named and valued in the portal's words (stale ones dropped)."""
    shown = []
    for index, item in enumerate(_draft(request)):
        found = topics_mod.topic_for_token(topics, item["token"])
        if found is None:
            continue
        topic, topic_field = found
        shown.append(
            {
                "index": index,
                "person": topic.person_label,
                "topic": topic.label,
                "field": topic_field.label,
                "current": topic_field.current,
                "proposed": topics_mod.value_display(
                    item["proposed"], kind=topic_field.kind, choices=topic_field.choices
                ),
            }
        )
    return shown


# --- Guards ------------------------------------------------------------------


def _guards(view):
    view = require_http_methods(["GET", "HEAD", "POST"])(view)
    view = recent_authentication_required(view)
    view = login_required(view)
    return never_cache(view)


def _already_open(request: HttpRequest) -> HttpResponse | None:
    if RequestKind.CORRECTION in selectors.privacy_request_open_kinds(account=request.user):
        messages.info(request, _("Vous avez déjà une demande de ce type en cours."))
        return redirect("privacy_request_list")
    return None


def _step_url(name: str, **params) -> str:
    return reverse(name) + ("?" + urlencode(params) if params else "")


def _context(request: HttpRequest, topics: list, **extra) -> dict:
    return {"draft": draft_items(request=request, topics=topics), **extra}


# --- Steps -------------------------------------------------------------------


@_guards
def correction_person(request: HttpRequest) -> HttpResponse:
    """Step 1: whose information. A member without dependants skips it."""
    if refused := _already_open(request):
        return refused
    topics = topics_mod.correction_topics(user=request.user)
    persons = topics_mod.topic_persons(topics)
    if request.GET.get("restart") is None and len(persons) == 1 and not _draft(request):
        return redirect(_step_url("privacy_request_correction_topic", person=persons[0].key))
    form = CorrectionPersonForm(request.GET if "go" in request.GET else None, persons=persons)
    if form.is_valid():
        return redirect(
            _step_url("privacy_request_correction_topic", person=form.cleaned_data["person"])
        )
    return render(
        request,
        "privacy/requests/correction/person.html",
        _context(request, topics, form=form, has_persons=bool(persons)),
    )


@_guards
def correction_topic(request: HttpRequest) -> HttpResponse:
    """Step 2: which record of that person (or "something else")."""
    if refused := _already_open(request):
        return refused
    topics = topics_mod.correction_topics(user=request.user)
    person_key = request.GET.get("person", "")
    mine = [t for t in topics if t.person_key == person_key]
    if not mine:
        return redirect("privacy_request_correction")
    form = CorrectionTopicForm(
        request.GET if "go" in request.GET else None,
        topics=mine,
        initial={"person": person_key},
    )
    if form.is_valid():
        return redirect(
            _step_url("privacy_request_correction_field", topic=form.cleaned_data["topic"])
        )
    groups: dict[str, list] = {}
    for topic in mine:
        groups.setdefault(topic.group, []).append(topic)
    radios = {radio.data["value"]: radio for radio in form["topic"]}
    grouped = [
        {
            "label": topics_mod.GROUP_LABELS.get(group, ""),
            "topics": [(t, radios.get(t.key)) for t in items],
        }
        for group, items in groups.items()
    ]
    return render(
        request,
        "privacy/requests/correction/topic.html",
        _context(
            request,
            topics,
            form=form,
            groups=grouped,
            person_label=mine[0].person_label,
            multiple_persons=len(topics_mod.topic_persons(topics)) > 1,
        ),
    )


def _topic_by_key(topics: list, key: str):
    return next((t for t in topics if t.key == key and t.fields), None)


@_guards
def correction_field(request: HttpRequest) -> HttpResponse:
    """Step 3: which field, each with its current value."""
    if refused := _already_open(request):
        return refused
    topics = topics_mod.correction_topics(user=request.user)
    topic = _topic_by_key(topics, request.GET.get("topic", ""))
    if topic is None:
        return redirect("privacy_request_correction")
    form = CorrectionFieldForm(
        request.GET if "go" in request.GET else None,
        topic=topic,
        initial={"topic": topic.key},
    )
    if form.is_valid():
        return redirect(
            _step_url(
                "privacy_request_correction_value",
                topic=topic.key,
                field=form.cleaned_data["field"],
            )
        )
    return render(
        request,
        "privacy/requests/correction/field.html",
        _context(request, topics, form=form, topic=topic),
    )


@_guards
def correction_value(request: HttpRequest) -> HttpResponse:
    """Step 4: the exact value; a valid one joins the draft."""
    if refused := _already_open(request):
        return refused
    topics = topics_mod.correction_topics(user=request.user)
    topic = _topic_by_key(topics, request.GET.get("topic", ""))
    topic_field = topic.field(request.GET.get("field", "")) if topic else None
    if topic is None or topic_field is None:
        return redirect("privacy_request_correction")
    form = CorrectionValueForm(
        request.POST if request.method == "POST" else None, topic_field=topic_field
    )
    if request.method == "POST" and form.is_valid():
        token = topic.token(topic_field.name)
        try:
            corrections.proposed_clean(
                user=request.user,
                model_label=topic.model_label,
                object_id=topic.object_id,
                field_name=topic_field.name,
                proposed=form.stored_value(),
            )
        except corrections.CorrectionError as error:
            form.add_error("value", error.messages)
        else:
            items = [i for i in _draft(request) if i["token"] != token]
            if len(items) >= DRAFT_MAX:
                form.add_error(
                    None,
                    _("Une demande peut nommer au plus %(max)s renseignements.")
                    % {"max": DRAFT_MAX},
                )
            else:
                items.append({"token": token, "proposed": form.stored_value()})
                _draft_save(request, items)
                return redirect("privacy_request_correction_review")
    return render(
        request,
        "privacy/requests/correction/value.html",
        _context(request, topics, form=form, topic=topic, topic_field=topic_field),
    )


@_guards
def correction_review(request: HttpRequest) -> HttpResponse:
    """What will be sent; "add another"; something else in words; send."""
    if refused := _already_open(request):
        return refused
    topics = topics_mod.correction_topics(user=request.user)
    data = request.POST if request.method == "POST" else None
    form = CorrectionRequestForm(data, request.FILES if data is not None else None)
    items = draft_items(request=request, topics=topics)
    if request.method == "POST" and form.is_valid():
        asked = [
            (entry["token"], entry["proposed"])
            for entry in _draft(request)
            if topics_mod.topic_for_token(topics, entry["token"])
        ]
        if not asked and not form.cleaned_data["details"].strip():
            form.add_error(
                None,
                _(
                    "Nommez au moins un renseignement à corriger, ou décrivez l’erreur dans "
                    "« Autre chose à corriger »."
                ),
            )
        else:
            try:
                privacy_request = services.privacy_request_submit(
                    account=request.user,
                    kind=RequestKind.CORRECTION,
                    details=form.cleaned_data["details"],
                    corrections_asked=asked,
                    document=form.cleaned_data["document"],
                    http_request=request,
                )
            except services.PrivacyRequestError as error:
                form.add_error(None, error)
            else:
                request.session.pop(DRAFT_KEY, None)
                return _submitted(request, privacy_request)
    return render(
        request,
        "privacy/requests/correction/review.html",
        {"draft": items, "form": form, "draft_max": DRAFT_MAX},
    )


@never_cache
@login_required
@require_POST
def correction_remove(request: HttpRequest) -> HttpResponse:
    """Take one item out of the draft."""
    try:
        index = int(request.POST.get("index", ""))
    except ValueError:
        index = -1
    items = _draft(request)
    if 0 <= index < len(items):
        del items[index]
        _draft_save(request, items)
        messages.info(request, _("Le renseignement est retiré de votre demande."))
    return redirect("privacy_request_correction_review")
