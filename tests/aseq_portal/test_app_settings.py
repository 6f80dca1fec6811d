"""Every app's tunables are read at use: a changed setting is seen at once."""

import pytest
from django.test import override_settings

from coverage.app_settings import app_settings as coverage_settings
from members.app_settings import app_settings as members_settings
from privacy.app_settings import app_settings as keys_settings
from privacy.audit.app_settings import app_settings as audit_settings
from privacy.consent.app_settings import app_settings as consent_settings
from privacy.requests.app_settings import app_settings as requests_settings
from privacy.retention.app_settings import app_settings as retention_settings
from tests.privacy.consent_support import post_consent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("app_settings", "setting", "name", "value"),
    [
        (members_settings, "MEMBERS_MAX_DEPENDANTS", "MAX_DEPENDANTS", 4),
        (coverage_settings, "COVERAGE_VERIFY_RATE_LIMIT", "VERIFY_RATE_LIMIT", 7),
        (requests_settings, "PRIVACY_REQUEST_DUE_DAYS", "DUE_DAYS", 12),
        (retention_settings, "PRIVACY_PURGE_BATCH_SIZE", "PURGE_BATCH_SIZE", 3),
        (consent_settings, "PRIVACY_CONSENT_COOKIE_NAME", "COOKIE_NAME", "choix"),
        (audit_settings, "AUDIT_ANCHOR_DIR", "DIR", "/srv/anchors"),
        (keys_settings, "PRIVACY_BLIND_INDEX_PREVIOUS_KEY", "BLIND_INDEX_PREVIOUS_KEY", "x"),
    ],
)
def test_an_overridden_setting_is_read_at_use(app_settings, setting, name, value):
    before = getattr(app_settings, name)
    with override_settings(**{setting: value}):
        assert getattr(app_settings, name) == value
    assert getattr(app_settings, name) == before


def test_a_setting_left_out_falls_back_to_the_apps_default(settings):
    del settings.MEMBERS_MAX_DEPENDANTS
    assert members_settings.MAX_DEPENDANTS == 15


def test_the_consent_cookie_follows_its_setting_without_a_restart(client, settings):
    """Behaviour, not just the object: the cookie set after a choice takes the new name."""
    settings.PRIVACY_CONSENT_COOKIE_NAME = "choix-temoins"
    response = post_consent(client, "refuse_all")
    assert "choix-temoins" in response.cookies
    assert "consent" not in response.cookies
