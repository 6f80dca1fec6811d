"""Proof of coverage: card, PDF letter, and the public verification page behind the QR code."""

import re
import time

import pytest
from django.core import signing
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from coverage.models import Enrolment
from coverage.proof import TOKEN_SALT, proof_token_issue

pytestmark = pytest.mark.django_db


def url(name, *args, language="fr"):
    with translation.override(language):
        return reverse(name, args=args)


def verify_path(card_html: str) -> str:
    match = re.search(r"https?://testserver(/fr/verifier/[^\"<\s]+/)", card_html)
    assert match, "the card shows the verification address"
    return match.group(1)


def test_card_page_shows_the_qr_code_drawn_by_our_server(client, member, coverage_member):
    client.force_login(member)
    response = client.get(url("coverage_card", coverage_member.id))
    html = response.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert "Camille Tremblay" in html
    assert f"{coverage_member.member_number}-00" in html
    # Drawn here: no image, script or link from another origin.
    assert not re.search(r'(src|href)="https?://(?!testserver/)', html)


@pytest.mark.parametrize(
    ("language", "text"), [("fr", "Attestation de couverture"), ("en", "Proof of coverage")]
)
def test_attestation_letter_is_a_pdf_in_the_chosen_language(
    client, member, coverage_member, language, text
):
    client.force_login(member)
    response = client.get(url("coverage_attestation", coverage_member.id), {"langue": language})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    from fpdf import FPDF  # noqa: F401  (the library is pure Python)

    assert text.encode("latin-1") in response.content or _pdf_text(response.content, text)


def _pdf_text(data: bytes, text: str) -> bool:
    import zlib

    # Up to "endstream" with its line ending: the stream may end in a CR byte itself.
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            if text.encode("latin-1") in zlib.decompressobj().decompress(stream):
                return True
        except zlib.error:
            continue
    return False


def test_verification_page_shows_only_what_a_clinic_needs_and_sets_no_cookie(
    client, member, coverage_member
):
    client.force_login(member)
    path = verify_path(client.get(url("coverage_card", coverage_member.id)).content.decode())
    client.logout()
    anonymous = client.__class__()
    response = anonymous.get(path)
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    html = response.content.decode()
    main = html.split("<main", 1)[1].split("</main>")[0]
    facts = re.findall(r"<dt>(.*?)</dt>", main)
    assert facts == ["Nom", "Numéro de membre", "Volets couverts", "Valide jusqu’au"]
    assert "Camille Tremblay" in main
    assert f"{coverage_member.member_number}-00" in main
    assert "Santé, Dentaire" in main
    # Nothing else about the person: no date of birth, student number, claims.
    assert coverage_member.student_number not in html
    assert "2003" not in main
    assert "no-store" in response["Cache-Control"]


def test_verification_reflects_an_opt_out_at_scan_time(client, coverage_member):
    token = proof_token_issue(person_id=coverage_member.id)
    Enrolment.objects.filter(member=coverage_member, part="dental").update(status="opted_out")
    html = client.get(url("coverage_verify", token)).content.decode()
    assert "Volets couverts</dt><dd>Santé</dd>" in html


def test_altered_token_is_rejected_with_a_clear_message(client, coverage_member):
    token = proof_token_issue(person_id=coverage_member.id)
    altered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.get(url("coverage_verify", altered, language="en"))
    assert response.status_code == 404
    html = response.content.decode()
    assert "This code is not valid" in html
    assert "Camille" not in html
    forged = signing.dumps({"p": str(coverage_member.id)}, salt="another-salt", compress=True)
    assert client.get(url("coverage_verify", forged)).status_code == 404


def test_expired_token_is_rejected_with_a_clear_message(client, coverage_member):
    token = proof_token_issue(person_id=coverage_member.id)
    with override_settings(COVERAGE_PROOF_TOKEN_MAX_AGE=1):
        time.sleep(2.1)
        response = client.get(url("coverage_verify", token, language="en"))
    assert response.status_code == 410
    assert "This QR code has expired" in response.content.decode()
    assert "Camille" not in response.content.decode()
    assert TOKEN_SALT  # the salt is specific to proof of coverage


@override_settings(COVERAGE_VERIFY_RATE_LIMIT=3)
def test_verification_is_rate_limited_per_network(client, coverage_member):
    token = proof_token_issue(person_id=coverage_member.id)
    path = url("coverage_verify", token)
    for _ in range(3):
        assert client.get(path, REMOTE_ADDR="203.0.113.7").status_code == 200
    # Same /24 network: counted together.
    limited = client.get(path, REMOTE_ADDR="203.0.113.99")
    assert limited.status_code == 429
    assert not limited.cookies
    assert client.get(path, REMOTE_ADDR="198.51.100.1").status_code == 200


def test_dependant_has_their_own_card(client, other_member, other_coverage_member):
    spouse = other_coverage_member.dependants.get()
    client.force_login(other_member)
    html = client.get(url("coverage_card", spouse.id)).content.decode()
    assert f"{other_coverage_member.member_number}-01" in html


def test_a_persons_token_is_the_same_all_day_and_reads_back(coverage_member):
    from coverage.proof import TOKEN_PERIOD_SECONDS, proof_token_read

    token = proof_token_issue(person_id=coverage_member.id)
    assert proof_token_issue(person_id=coverage_member.id) == token
    assert proof_token_read(token=token) == coverage_member.id
    issued = signing.b62_decode(token.split(":")[1])
    assert issued % TOKEN_PERIOD_SECONDS == 0
    assert time.time() - TOKEN_PERIOD_SECONDS < issued <= time.time()


def test_the_qr_code_is_drawn_once_and_kept_sealed(coverage_member):
    import hashlib

    from django.core.cache import cache

    from coverage.proof import qr_svg_data_uri

    verify_url = "https://mobile.aseq.ca/fr/couverture/verifier/" + proof_token_issue(
        person_id=coverage_member.id
    )
    drawn = qr_svg_data_uri(verify_url)
    assert drawn.startswith("data:image/svg+xml")
    stored = cache.get(f"coverage:qr:{hashlib.sha256(verify_url.encode()).hexdigest()}")
    # Sealed: not the drawing (a bare "svg" turns up in random base64 about one run in 70).
    assert stored.startswith("v1:") and "image/svg+xml" not in stored
    assert qr_svg_data_uri(verify_url) == drawn
    assert qr_svg_data_uri(verify_url + "x") != drawn
