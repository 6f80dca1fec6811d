"""Versioned policies: seeded from the texts, history kept, a new version asks again (P9)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from privacy.consent.policy_text import TEXTS_DIR
from privacy.consent.selectors import policy_current_versions
from privacy.consent.services import policy_publish
from privacy.models import PolicyAcknowledgement, PolicyKind, PolicyVersion

from .consent_support import post_consent, url_in

pytestmark = pytest.mark.django_db


def publish(kind=PolicyKind.PRIVACY, *, changes_fr="Nouvelle section sur la localisation."):
    return policy_publish(
        kind=kind,
        text_fr="# Politique de confidentialité\n\nTexte révisé.",
        text_en="# Privacy Policy\n\nRevised text.",
        changes_fr=changes_fr,
        changes_en="New section on location.",
    )


def test_version_1_of_each_policy_is_seeded_from_the_policy_texts():
    privacy = PolicyVersion.objects.get(kind=PolicyKind.PRIVACY, version=1)
    assert privacy.text_fr == (TEXTS_DIR / "fr.txt").read_text(encoding="utf-8").strip()
    assert privacy.text_en == (TEXTS_DIR / "en.txt").read_text(encoding="utf-8").strip()
    cookies = PolicyVersion.objects.get(kind=PolicyKind.COOKIES, version=1)
    assert cookies.text_fr.startswith("# Politique relative aux témoins")
    assert policy_current_versions() == (1, 1)


@pytest.mark.parametrize(("language", "heading"), [("fr", "Résumé"), ("en", "Summary")])
def test_policy_page_shows_the_version_in_force_in_the_page_language(client, language, heading):
    html = client.get(url_in(language, "privacy_policy")).content.decode()
    assert f"<h2>{heading}</h2>" in html
    publish()
    html = client.get(url_in(language, "privacy_policy")).content.decode()
    assert ("Texte révisé." if language == "fr" else "Revised text.") in html
    assert f"<h2>{heading}</h2>" not in html


def test_publishing_numbers_versions_and_keeps_every_earlier_one(client):
    second = publish()
    third = publish()
    assert (second.version, third.version) == (2, 3)
    assert PolicyVersion.objects.filter(kind=PolicyKind.PRIVACY).count() == 3
    html = client.get(url_in("fr", "policy_history")).content.decode()
    for number in (1, 2, 3):
        assert url_in("fr", "policy_version", kind="privacy-policy", version=number) in html
    assert "Nouvelle section sur la localisation." in html
    old = client.get(url_in("en", "policy_version", kind="privacy-policy", version=1))
    assert old.status_code == 200
    assert "This version is no longer in force." in old.content.decode() or (
        "Cette version n’est plus en vigueur." in old.content.decode()
    )


def test_unknown_versions_are_not_found(client):
    assert (
        client.get(url_in("fr", "policy_version", kind="privacy-policy", version=9)).status_code
        == 404
    )
    assert client.get(url_in("fr", "policy_version", kind="nothing", version=1)).status_code == 404


def test_a_new_version_must_say_what_changed():
    with pytest.raises(ValidationError):
        publish(changes_fr="  ")
    assert policy_current_versions() == (1, 1)


def test_the_database_refuses_a_later_version_without_a_summary_of_changes():
    with pytest.raises(IntegrityError):
        PolicyVersion.objects.create(
            kind=PolicyKind.COOKIES,
            version=2,
            published_at=timezone.now(),
            text_fr="x",
            text_en="x",
        )


@pytest.mark.parametrize("kind", [PolicyKind.PRIVACY, PolicyKind.COOKIES])
def test_a_new_policy_version_asks_again(client, kind, optional_cookies):
    post_consent(client, "accept_all")
    home = url_in("fr", "home")
    assert 'class="consent-banner"' not in client.get(home).content.decode()
    publish(kind)
    html = client.get(home).content.decode()
    assert 'class="consent-banner"' in html
    assert "Nos politiques ont changé depuis votre dernier choix" in html
    # Until the visitor chooses again, nothing optional is allowed.
    response = client.get(url_in("fr", "home"))
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    post_consent(client, "accept_all")
    assert 'class="consent-banner"' not in client.get(home).content.decode()
    assert "geolocation=(self)" in client.get(home).headers["Permissions-Policy"]


def test_new_choices_are_recorded_under_the_new_version(client):
    publish(PolicyKind.COOKIES)
    post_consent(client, "refuse_all")
    from privacy.models import ConsentRecord

    record = ConsentRecord.objects.get()
    assert (record.privacy_policy_version.version, record.cookie_policy_version.version) == (1, 2)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_signed_in_members_see_what_changed_until_they_acknowledge_it(client, member, language):
    client.force_login(member)
    home = url_in(language, "home")
    assert 'class="policy-notice"' not in client.get(home).content.decode()
    version = publish()
    html = client.get(home).content.decode()
    assert 'class="policy-notice"' in html
    summary = (
        "Nouvelle section sur la localisation." if language == "fr" else "New section on location."
    )
    assert summary in html
    # Still there on every page until acknowledged.
    assert 'class="policy-notice"' in client.get(url_in(language, "contact")).content.decode()

    response = client.post(
        url_in(language, "policy_acknowledge"), {"versions": [version.pk], "next": home}
    )
    assert response.status_code == 303
    assert response["Location"] == home
    assert PolicyAcknowledgement.objects.filter(user=member, policy_version=version).exists()
    assert 'class="policy-notice"' not in client.get(home).content.decode()


def test_members_who_joined_after_a_version_are_not_told_of_its_changes(client):
    publish()
    from tests.factories import UserFactory

    newcomer = UserFactory()
    client.force_login(newcomer)
    assert 'class="policy-notice"' not in client.get(url_in("fr", "home")).content.decode()


def test_acknowledging_needs_a_signed_in_member(client):
    version = publish()
    response = client.post(url_in("fr", "policy_acknowledge"), {"versions": [version.pk]})
    assert response.status_code == 302
    assert not PolicyAcknowledgement.objects.exists()


def test_anonymous_visitors_see_no_policy_notice(client):
    publish()
    assert 'class="policy-notice"' not in client.get(url_in("fr", "home")).content.decode()
