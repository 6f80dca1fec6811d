"""The account overview is the member's hub: record, dependants, activity, care, security."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUB = "/fr/mon-compte/"


def test_hub_links_every_part_of_the_members_corner(client, member_record):
    client.force_login(member_record.user)
    body = client.get(HUB).content.decode()
    assert member_record.card_number in body
    for name in (
        "members_profile",
        "members_dependants",
        "members_activity",
        "members_providers",
        "usersessions_list",
        "mfa_index",
    ):
        assert f'href="{reverse(name)}"' in body, name


def test_sessions_and_two_factor_pages_open_for_a_member(client, member_record):
    client.force_login(member_record.user)
    assert client.get(reverse("usersessions_list")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


def test_an_account_without_a_record_is_invited_to_claim_it(client, member):
    client.force_login(member)
    body = client.get(HUB).content.decode()
    assert f'href="{reverse("members_claim")}"' in body
    assert f'href="{reverse("members_profile")}"' not in body


@pytest.mark.parametrize("language", ["fr", "en"])
def test_member_pages_are_served_in_both_languages(client, member_record, language):
    from django.utils import translation

    client.force_login(member_record.user)
    for name in ("account_overview", "members_profile", "members_dependants", "members_activity"):
        with translation.override(language):
            url = reverse(name)
        response = client.get(url)
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.content.decode()
