"""The demo member's access export: a document a person reads and prints, and a JSON
another service imports, checked against the schema shipped beside it."""

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from coverage.models import Claim
from members.models import Member
from privacy.requests import services
from privacy.requests.exports import SCHEMA_PATH
from privacy.requests.models import ExportArchive, RequestKind
from tests.readable import assert_readable, schema_errors, text_of

pytestmark = pytest.mark.django_db

DOCS_SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "export.schema.json"


TEST_APPS = ("requestsapp", "retentionapp", "staffapp", "testapp")


def without_test_apps(page: str) -> str:
    """The document as in production: the suite's own apps declare models too."""
    parts = re.split(r'(?=<section id=")', page)
    return "".join(
        part
        for part in parts
        if not part.startswith(tuple(f'<section id="{a}-' for a in TEST_APPS))
    )


def demo_export(privacy_officer, language: str) -> dict[str, str]:
    call_command("seed_demo", stdout=io.StringIO())
    camille = Member.objects.select_related("user").get(user__email="etudiante@demo.aseq.ca")
    user = camille.user
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    request = services.privacy_request_submit(account=user, kind=RequestKind.ACCESS)
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
    services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)
    archive = ExportArchive.objects.get(request=request)
    with zipfile.ZipFile(io.BytesIO(bytes(archive.content))) as zipped:
        files = {name: zipped.read(name).decode() for name in zipped.namelist()}
    files["camille"] = camille
    return files


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_readable_export_speaks_the_portals_words(privacy_officer, language):
    files = demo_export(privacy_officer, language)
    page = files["export.html"]
    if dump := os.environ.get("EXPORT_DUMP_DIR"):  # for screenshots of the document
        Path(dump, f"export-{language}.html").write_text(page)
    text = text_of(without_test_apps(page))
    assert_readable(text, language=language, where="export.html")
    camille = files["camille"]
    with translation.override(language):
        contents = "Table des matières" if language == "fr" else "Table of contents"
        assert contents in text
        # Money in dollars, never in cents.
        claim = Claim.objects.filter(member=camille).first()
        from coverage.templatetags.coverage_tags import format_money

        assert format_money(claim.amount_claimed) in text
        assert str(claim.amount_claimed_cents) not in text.replace("\u00a0", "")
        # Care types by name, statuses by label.
        assert claim.benefit.name in text
        assert claim.get_status_display() in text
    # Why and until when, for every section.
    assert page.count('<div class="why">') == len(json.loads(files["export.json"])["sections"])
    sections = without_test_apps(page).count('<div class="why">')
    why = "Pourquoi nous les détenons" if language == "fr" else "Why we hold it"
    until = "Jusqu’à quand" if language == "fr" else "Until when"
    assert text.count(why) >= 5 and text.count(until) == sections
    assert "7 ans après la date" in text if language == "fr" else "7 years after the" in text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_json_is_complete_and_valid_against_its_schema(privacy_officer, language):
    files = demo_export(privacy_officer, language)
    data = json.loads(files["export.json"])
    schema = json.loads(files["export.schema.json"])
    assert schema == json.loads(SCHEMA_PATH.read_text()) == json.loads(DOCS_SCHEMA.read_text())
    assert schema_errors(data, schema) == []
    # Complete: amounts stay exact, in cents, and say so.
    claims = next(s for s in data["sections"] if s["model"] == "coverage.Claim")
    amount = next(f for f in claims["fields"] if f["name"] == "amount_claimed_cents")
    assert amount["unit"] == "cents"
    assert all(isinstance(r["values"]["amount_claimed_cents"], int) for r in claims["rows"])
    # The words in it are for people too.
    real = [s for s in data["sections"] if not s["model"].startswith(TEST_APPS)]
    words = " ".join(
        [s["title"] + " " + s["description"] + " " + " ".join(s["purposes"]) for s in real]
        + [f["label"] for s in real for f in s["fields"]]
        + [(s["retention"] or {}).get("text", "") for s in real]
    )
    assert_readable(words, language=language, where="export.json labels")


def test_a_broken_export_fails_the_schema():
    schema = json.loads(SCHEMA_PATH.read_text())
    assert schema_errors({"format": "other"}, schema)
    bad_section = {
        "format": "aseq-portal-export",
        "version": 1,
        "generated_at": "2026-12-04T19:33:19+00:00",
        "language": "fr",
        "account": "x",
        "consent_history": [],
        "disclosures": [],
        "staff_views": [],
        "severed": [],
        "sections": [
            {
                "model": "m",
                "title": "t",
                "description": "",
                "purposes": [],
                "retention": {"starts_from": "x"},
                "fields": [],
                "rows": [],
            }
        ],
    }
    assert schema_errors(bad_section, schema)
