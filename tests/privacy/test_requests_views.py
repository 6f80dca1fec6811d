"""Member pages: re-authentication, submission, following a request, and no IDOR."""

import time

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse
from django.utils import formats, translation

from privacy.requests import services
from privacy.requests import urls as request_urls
from privacy.requests.models import PrivacyRequest, RequestKind, RequestStatus, SupportingDocument
from tests.factories import PASSWORD, holder_with_records, totp_authenticator_add

pytestmark = pytest.mark.django_db

ACCESS = "/fr/confidentialite/demandes/nouvelle/acces/"
CORRECTION = "/fr/confidentialite/demandes/nouvelle/rectification/"
DELETION = "/fr/confidentialite/demandes/nouvelle/suppression/"
LIST = "/fr/confidentialite/demandes/"


def sign_in(client, user, *, password_ago: float = 0, mfa_ago: float | None = None):
    """Signed in, with allauth's record of when each factor was last proven."""
    client.force_login(user)
    session = client.session
    records = [{"method": "password", "at": time.time() - password_ago}]
    if mfa_ago is not None:
        records.append({"method": "mfa", "at": time.time() - mfa_ago, "type": "totp"})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


# --- Re-authentication --------------------------------------------------------------


def test_a_real_sign_in_is_recent_enough_to_submit(client, member):
    client.post("/fr/compte/login/", {"login": member.email, "password": PASSWORD})
    assert client.get(ACCESS).status_code == 200


@pytest.mark.parametrize("url", [ACCESS, CORRECTION, DELETION])
def test_an_old_sign_in_must_reauthenticate_before_any_request_form(client, member, url):
    sign_in(client, member, password_ago=3600)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/compte/reauthenticate/")
    assert "next=" in response["Location"]
    # Posting directly does not get around it.
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert not PrivacyRequest.objects.exists()


def test_reauthenticating_with_the_password_brings_the_member_back(client, member):
    sign_in(client, member, password_ago=3600)
    response = client.post(
        f"/fr/compte/reauthenticate/?next={ACCESS}", {"password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == ACCESS
    assert response.status_code == 200


def test_with_mfa_on_the_second_factor_must_be_recent_too(client, member):
    totp_authenticator_add(member)
    sign_in(client, member, password_ago=0, mfa_ago=3600)
    response = client.get(ACCESS)
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/compte/2fa/reauthenticate/")
    sign_in(client, member, password_ago=0, mfa_ago=10)
    assert client.get(ACCESS).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (LIST, ACCESS, CORRECTION, DELETION):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/fr/compte/login/")
        assert not response.cookies  # no session, no CSRF cookie for a visitor


# --- Submission -----------------------------------------------------------------------


def test_an_access_request_is_submitted_with_a_receipt(client, member):
    sign_in(client, member)
    response = client.post(ACCESS, {"details": "Tout, s’il vous plaît."}, follow=True)
    request = PrivacyRequest.objects.get(member=member)
    assert response.redirect_chain[-1][0] == f"/fr/confidentialite/demandes/{request.pk}/"
    page = response.content.decode()
    assert request.reference in page
    # The due date as people read it, not as the database stores it.
    with translation.override("fr"):
        assert formats.date_format(request.due_on, "DATE_FORMAT") in page
    assert request.due_on.isoformat() not in page
    assert request.details == "Tout, s’il vous plaît."


def test_a_second_open_request_of_the_same_kind_is_turned_back(client, member):
    services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    sign_in(client, member)
    response = client.post(ACCESS, {}, follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert "déjà une demande de ce type" in response.content.decode()
    assert PrivacyRequest.objects.filter(member=member).count() == 1


def _holder_topic(member, field_name):
    from privacy.requests.correction_topics import correction_topics

    return next(
        t
        for t in correction_topics(user=member)
        if t.model_label == "requestsapp.Holder" and t.field(field_name)
    )


def test_a_correction_request_names_fields_and_attaches_a_document(client, member):
    holder = holder_with_records(member)
    sign_in(client, member)
    topic = _holder_topic(member, "full_name")
    # One person only: the first question is skipped.
    response = client.get(CORRECTION)
    assert response.status_code == 302 and "/renseignement/" in response["Location"]
    page = client.get(reverse("privacy_request_correction_field"), {"topic": topic.key})
    assert holder.full_name in page.content.decode()  # the member sees the current value
    value_url = reverse("privacy_request_correction_value") + f"?topic={topic.key}&field=full_name"
    response = client.post(value_url, {"value": "Camille Roy"})
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy_request_correction_review")
    review = client.get(response["Location"]).content.decode()
    assert "Camille Roy" in review and holder.full_name in review
    document = SimpleUploadedFile("acte.pdf", b"%PDF-1.7\n%%EOF", content_type="application/pdf")
    response = client.post(
        reverse("privacy_request_correction_review"),
        {"details": "Mon nom a changé.", "document": document},
    )
    assert response.status_code == 302
    request = PrivacyRequest.objects.get(member=member, kind=RequestKind.CORRECTION)
    item = request.correction_items.get()
    assert (item.field_name, item.proposed_value) == ("full_name", "Camille Roy")
    assert item.current_value == holder.full_name
    assert SupportingDocument.objects.get(request=request).content_type == "application/pdf"


@pytest.mark.parametrize(
    ("language", "message"),
    [("fr", "Entrez une date complète"), ("en", "Enter a full date")],
)
def test_correction_errors_are_summarised_in_the_page_language(client, member, language, message):
    holder_with_records(member)
    sign_in(client, member)
    topic = _holder_topic(member, "birth_date")
    with translation.override(language):
        url = reverse("privacy_request_correction_value")
    response = client.post(f"{url}?topic={topic.key}&field=birth_date", {"value": "hier"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "data-error-summary" in page
    assert message in page
    assert 'href="#id_value"' in page
    with translation.override(language):
        review = reverse("privacy_request_correction_review")
    response = client.post(
        review,
        {"document": SimpleUploadedFile("x.html", b"<html>", content_type="text/html")},
    )
    assert "data-error-summary" in response.content.decode()
    assert not PrivacyRequest.objects.exists()


def test_the_deletion_page_shows_the_plan_before_confirming(client, member):
    holder_with_records(member)
    sign_in(client, member)
    page = client.get(DELETION).content.decode()
    assert "Obligation légale de l’assureur\u00a0: six ans." in page
    assert "Rendu anonyme" in page
    assert "Le compte est fermé" in page
    response = client.post(DELETION, {})
    assert "data-error-summary" in response.content.decode()
    assert not PrivacyRequest.objects.exists()
    assert client.post(DELETION, {"confirm": "on"}).status_code == 302
    assert PrivacyRequest.objects.get(member=member).kind == RequestKind.DELETION


def test_my_requests_show_the_decision_reasons_and_the_recourse(client, member, privacy_officer):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    services.privacy_request_refuse(
        privacy_request=request, actor=privacy_officer, reasons="Motif précis du refus."
    )
    sign_in(client, member)
    assert request.reference in client.get(LIST).content.decode()
    page = client.get(f"/fr/confidentialite/demandes/{request.pk}/").content.decode()
    assert "Motif précis du refus." in page
    assert "Commission d’accès à l’information" in page
    assert "Refusée" in page


def test_the_member_answers_a_question_from_their_request_page(client, member, privacy_officer):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    services.privacy_request_ask_member(
        privacy_request=request, actor=privacy_officer, message="Quelle période?"
    )
    sign_in(client, member)
    response = client.post(
        f"/fr/confidentialite/demandes/{request.pk}/repondre/", {"body": "L’an dernier."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_REVIEW
    page = client.get(f"/fr/confidentialite/demandes/{request.pk}/").content.decode()
    assert "Quelle période\u202f?" in page and "L’an dernier." in page


def test_the_privacy_centre_offers_the_three_requests(client, member):
    sign_in(client, member)
    page = client.get("/fr/confidentialite/").content.decode()
    for url in (ACCESS, CORRECTION, DELETION, LIST):
        assert f'href="{url}"' in page
    page = client.get("/en/privacy/").content.decode()
    assert 'href="/en/privacy/requests/new/access/"' in page


# --- IDOR ---------------------------------------------------------------------------


def member_scoped_routes() -> list[str]:
    return [
        p.name
        for p in request_urls.urlpatterns
        if isinstance(p, URLPattern) and "request_id" in str(p.pattern)
    ]


def test_every_member_scoped_url_answers_404_to_another_member(
    client, member, other_member, privacy_officer
):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
    services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)
    names = member_scoped_routes()
    assert set(names) == {
        "privacy_request_detail",
        "privacy_request_reply",
        "privacy_request_export_download",
    }
    sign_in(client, other_member)
    for name in names:
        for language in ("fr", "en"):
            with translation.override(language):
                url = reverse(name, kwargs={"request_id": request.pk})
            statuses = {client.get(url).status_code, client.post(url, {"body": "x"}).status_code}
            # 404 for the method the page takes; 405 for the other, whoever asks.
            assert 404 in statuses and statuses <= {404, 405}, (url, statuses)
    # ...and each of them does work for the member it belongs to.
    sign_in(client, member)
    assert client.get(reverse("privacy_request_detail", args=[request.pk])).status_code == 200
    assert (
        client.get(reverse("privacy_request_export_download", args=[request.pk])).status_code == 200
    )
    assert (
        client.post(
            reverse("privacy_request_reply", args=[request.pk]), {"body": "Merci"}
        ).status_code
        == 302
    )
