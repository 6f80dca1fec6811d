"""One helper writes every date a member reads: "1er octobre" in French, pages, mails,
the attestation and the export alike."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from privacy.dates import date_text, datetime_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "language", "expected"),
    [
        (date(2026, 10, 1), "fr", "1er octobre 2026"),
        (date(2026, 10, 11), "fr", "11 octobre 2026"),
        (date(2026, 10, 21), "fr", "21 octobre 2026"),
        (date(2026, 10, 1), "en", "Oct. 1, 2026"),
        (None, "fr", ""),
    ],
)
def test_a_date_in_each_language(day, language, expected):
    assert date_text(day, language) == expected
    with translation.override(language):
        assert Template("{{ day|long_date }}").render(Context({"day": day})) == expected


def test_a_moment_is_read_in_montreal_time():
    # 1 October 03:30 UTC is still 30 September in Montreal; 04:30 UTC is the 1st.
    assert date_text(datetime(2026, 10, 1, 3, 30, tzinfo=UTC), "fr") == "30 septembre 2026"
    assert datetime_text(datetime(2026, 10, 1, 4, 30, tzinfo=UTC), "fr") == (
        "1er octobre 2026 00:30"
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_mails_and_the_export_use_it(member, language, django_capture_on_commit_callbacks):
    from django.core import mail

    from privacy.requests import services
    from privacy.requests.emails import member_notify
    from privacy.requests.export_document import _date_value
    from privacy.requests.models import RequestKind

    member.preferred_language = language
    member.save()
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    request.due_on = date(2027, 3, 1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        member_notify(privacy_request=request, event="submitted")
    (message,) = mail.outbox
    expected = "1er mars 2027" if language == "fr" else "March 1, 2027"
    assert expected in message.body
    with translation.override(language):
        assert _date_value("2027-03-01") == expected
