"""System checks catch a consent layer wired where it cannot enforce consent."""

from django.test import override_settings

from privacy.consent.checks import MIDDLEWARE, consent_wiring_check


def test_the_portal_is_wired_correctly():
    assert consent_wiring_check(None) == []


def test_missing_middleware_is_an_error(settings):
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != MIDDLEWARE]):
        assert [e.id for e in consent_wiring_check(None)] == ["privacy.E101"]


def test_middleware_before_sessions_or_after_security_headers_is_an_error(settings):
    without = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    for order in ([MIDDLEWARE, *without], [*without, MIDDLEWARE]):
        with override_settings(MIDDLEWARE=order):
            assert [e.id for e in consent_wiring_check(None)] == ["privacy.E102"]


def test_missing_context_processor_is_an_error(settings):
    templates = [
        {
            **engine,
            "OPTIONS": {
                **engine["OPTIONS"],
                "context_processors": [
                    p
                    for p in engine["OPTIONS"]["context_processors"]
                    if p != "privacy.consent.context_processors.consent"
                ],
            },
        }
        for engine in settings.TEMPLATES
    ]
    with override_settings(TEMPLATES=templates):
        assert [e.id for e in consent_wiring_check(None)] == ["privacy.E103"]
