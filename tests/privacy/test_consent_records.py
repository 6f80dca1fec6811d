"""Proof of consent: what, when, under which policy; linked to the member at sign-in."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.consent.services import consent_record, on_withdrawal, on_withdrawal_remove
from privacy.datamap.registry import declaration_for
from privacy.models import ConsentRecord, PolicyKind, PolicyVersion
from tests.factories import PASSWORD

from .consent_support import SAME_ORIGIN, consent_cookie, form_posting_to, post_consent, url_in

pytestmark = pytest.mark.django_db


def test_a_choice_is_recorded_with_time_policy_versions_choices_and_language(client):
    before = timezone.now()
    post_consent(client, "save", language="en", analytics=True)
    record = ConsentRecord.objects.get()
    assert before <= record.created_at <= timezone.now()
    assert record.privacy_policy_version == PolicyVersion.objects.get(
        kind=PolicyKind.PRIVACY, version=1
    )
    assert record.cookie_policy_version == PolicyVersion.objects.get(
        kind=PolicyKind.COOKIES, version=1
    )
    assert record.choices == {"preferences": False, "analytics": True, "location": False}
    assert record.language == "en"
    assert record.gpc is False
    assert record.user is None


def test_the_consent_cookie_carries_the_consent_id_and_keeps_it_across_changes(client):
    post_consent(client, "accept_all")
    post_consent(client, "refuse_all")
    first, second = ConsentRecord.objects.order_by("created_at")
    assert first.consent_id == second.consent_id
    assert (first.analytics, second.analytics) == (True, False)


def test_two_browsers_get_two_consent_ids(client, django_user_model):
    from django.test import Client

    post_consent(client, "accept_all")
    post_consent(Client(), "accept_all")
    assert ConsentRecord.objects.values("consent_id").distinct().count() == 2


def test_gpc_is_recorded_and_refuses_analytics_and_preferences_whatever_was_ticked(client):
    post_consent(client, "accept_all", headers={**SAME_ORIGIN, "Sec-GPC": "1"})
    record = ConsentRecord.objects.get()
    assert record.gpc is True
    assert record.choices == {"preferences": False, "analytics": False, "location": True}


def test_stored_ip_is_never_the_full_address(client):
    client.post(
        url_in("fr", "consent_update"),
        {"action": "refuse_all", "source": "banner"},
        headers=SAME_ORIGIN,
        REMOTE_ADDR="203.0.113.77",
    )
    record = ConsentRecord.objects.get()
    assert record.ip_prefix == "203.0.113.0"
    assert not ConsentRecord.objects.filter(ip_prefix__contains="203.0.113.77").exists()


def test_withdrawal_takes_one_post_from_the_privacy_centre(client):
    post_consent(client, "accept_all")
    centre = url_in("fr", "privacy_centre")
    html = client.get(centre).content.decode()
    form = form_posting_to(html, url_in("fr", "consent_update"))
    # The centre shows the visitor's own earlier choice.
    assert all("checked" in i for i in form.inputs if i.get("type") == "checkbox")
    response = form.submit(client, press="save", tick=("preferences", "location"))
    assert response.status_code == 303
    assert response["Location"].startswith(centre)
    latest = ConsentRecord.objects.order_by("-created_at").first()
    assert latest.source == "centre"
    assert latest.choices == {"preferences": True, "analytics": False, "location": True}
    assert "Vos choix sont enregistrés." in client.get(response["Location"]).content.decode()


def test_refuse_all_in_the_centre_withdraws_everything_in_one_post(client):
    post_consent(client, "accept_all")
    html = client.get(url_in("en", "privacy_centre")).content.decode()
    form_posting_to(html, url_in("en", "consent_update")).submit(client, press="refuse_all")
    latest = ConsentRecord.objects.order_by("-created_at").first()
    assert not any(latest.choices.values())


def test_withdrawal_callbacks_run_for_each_category_withdrawn(client, member):
    calls = []

    def forget_location(*, user, consent_id, category):
        calls.append((user, consent_id, category))

    on_withdrawal("location", forget_location)
    try:
        client.force_login(member)
        post_consent(client, "save", location=True)
        assert calls == []
        post_consent(client, "save", location=False, analytics=True)
        record = ConsentRecord.objects.order_by("-created_at").first()
        assert calls == [(member, record.consent_id, "location")]
        post_consent(client, "refuse_all")
        assert len(calls) == 1  # already withdrawn: nothing more to drop
    finally:
        on_withdrawal_remove("location", forget_location)


def test_essential_cookies_cannot_be_withdrawn():
    with pytest.raises(ValueError):
        on_withdrawal("essential", lambda **kwargs: None)


def test_anonymous_choices_are_linked_to_the_member_when_they_sign_in(client, member):
    post_consent(client, "save", location=True)
    assert ConsentRecord.objects.get().user is None
    response = client.post(
        url_in("fr", "account_login"), {"login": member.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert ConsentRecord.objects.get().user == member


def test_choices_made_while_signed_in_belong_to_the_member(client, member):
    client.force_login(member)
    post_consent(client, "refuse_all")
    assert ConsentRecord.objects.get().user == member


def test_member_sees_their_consent_history_in_the_privacy_centre(client, member):
    post_consent(client, "accept_all")
    client.post(url_in("fr", "account_login"), {"login": member.email, "password": PASSWORD})
    post_consent(client, "refuse_all")
    html = client.get(url_in("fr", "privacy_centre")).content.decode()
    assert html.count("<time datetime=") == 2
    assert "Mesure d’audience\u00a0: acceptée" in html
    assert "Mesure d’audience\u00a0: refusée" in html
    assert "Politique de confidentialité v1, politique relative aux témoins v1" in html


def test_a_member_never_sees_another_members_consent_history(client, member, other_member):
    ConsentRecord.objects.create(
        consent_id=uuid.uuid4(),
        user=other_member,
        privacy_policy_version=PolicyVersion.objects.get(kind=PolicyKind.PRIVACY),
        cookie_policy_version=PolicyVersion.objects.get(kind=PolicyKind.COOKIES),
        preferences=True,
        analytics=True,
        location=True,
        gpc=False,
        language="fr",
        source="centre",
    )
    client.force_login(member)
    html = client.get(url_in("fr", "privacy_centre")).content.decode()
    assert "Aucun choix enregistré." in html


def test_anonymous_visitor_sees_only_the_records_of_their_consent_id(client):
    from django.test import Client

    post_consent(Client(), "accept_all")
    empty = client.get(url_in("fr", "privacy_centre")).content.decode()
    assert "Aucun choix enregistré." in empty
    post_consent(client, "refuse_all")
    html = client.get(url_in("fr", "privacy_centre")).content.decode()
    assert "Mesure d’audience\u00a0: refusée" in html
    assert "Mesure d’audience\u00a0: acceptée" not in html


def test_anonymous_visitor_does_not_see_records_already_linked_to_a_member(client, member):
    post_consent(client, "accept_all")
    client.post(url_in("fr", "account_login"), {"login": member.email, "password": PASSWORD})
    client.logout()
    # The consent cookie survives sign-out; what it linked to the member does not show.
    assert consent_cookie(post_consent(client, "refuse_all")) is not None
    html = client.get(url_in("fr", "privacy_centre")).content.decode()
    assert "Mesure d’audience\u00a0: acceptée" not in html


def test_consent_records_are_declared_for_the_access_export_and_retention():
    declaration = declaration_for(ConsentRecord)
    assert declaration.subject == "user"
    assert declaration.exported is True
    assert {"created_at", "privacy_policy_version", "analytics", "location", "language"} <= set(
        declaration.personal_names
    )
    assert declaration.retention.keep_for >= timedelta(days=365)


def test_gpc_record_cannot_hold_an_acceptance_of_analytics():
    from django.db import IntegrityError

    record = consent_record(
        consent_id=None,
        choices={"analytics": True},
        gpc=True,
        language="fr",
        source="banner",
        ip_address=None,
    )
    assert record.analytics is False
    record.analytics = True
    with pytest.raises(IntegrityError):
        record.save()
