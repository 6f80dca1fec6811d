"""The attestation PDF, read back as text: phone, plain French, one language, whole URL."""

import re
import zlib
from datetime import date

import pytest
from django.conf import settings

from tests.coverage.test_proof import url

pytestmark = pytest.mark.django_db


def pdf_lines(data: bytes) -> list[str]:
    """The text lines fpdf2 wrote (one Tj string each), decoded from Latin-1."""
    lines = []
    # Up to "endstream", line ending included: a compressed stream may itself end in a
    # CR byte, which a pattern eating "\r?\n" before "endstream" would cut off (the text
    # then read as empty, about one run in 256). The decompressor ignores what follows
    # the end of the stream.
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            content = zlib.decompressobj().decompress(stream)
        except zlib.error:
            continue
        for raw in re.findall(rb"\(((?:[^()\\]|\\.)*)\) ?Tj", content):
            lines.append(re.sub(rb"\\(.)", rb"\1", raw).decode("latin-1"))
    return lines


def attestation(client, member, record, language, page_language):
    client.force_login(member)
    response = client.get(
        url("coverage_attestation", record.id, language=page_language), {"langue": language}
    )
    assert response["Content-Type"] == "application/pdf"
    return pdf_lines(response.content)


@pytest.mark.parametrize("page_language", ["fr", "en"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_letter_gives_the_service_centres_phone_and_hours(
    client, member, coverage_member, language, page_language
):
    text = " ".join(attestation(client, member, coverage_member, language, page_language))
    assert settings.SERVICE_CENTRE_PHONE in text
    assert ("de 9 h à 17 h" if language == "fr" else "9 a.m. to 5 p.m.") in text


def test_the_french_letter_never_says_de_association(client, member, coverage_member):
    coverage_member.association.name_fr = "Association étudiante du Cégep de la Capitale"
    coverage_member.association.save()
    lines = attestation(client, member, coverage_member, "fr", "fr")
    text = " ".join(lines)
    assert not re.search(r"\bde Association", text)
    assert "(Association étudiante du Cégep de la Capitale)" in text
    # The space before a colon does not break: no line starts with one.
    assert not any(line.lstrip().startswith(":") for line in lines)


@pytest.mark.parametrize(("language", "other"), [("fr", "en"), ("en", "fr")])
def test_a_letter_downloaded_from_the_other_language_speaks_one_language(
    client, member, coverage_member, language, other
):
    association = coverage_member.association
    association.name_fr, association.name_en = "Association des étudiants", "Students' union"
    association.save()
    text = " ".join(attestation(client, member, coverage_member, language, other))
    own, foreign = (
        ("Association des étudiants", "Students' union")
        if language == "fr"
        else ("Students' union", "Association des étudiants")
    )
    assert own in text and foreign not in text
    assert (" ao" in text or "sept" in text or "juin" in text) if language == "fr" else True
    months_en = (
        r"January|February|March|April|May|June|July|August|September|October|November|December"
    )
    if language == "fr":
        assert not re.search(months_en, text)
    else:
        assert not re.search(r"janvier|février|septembre|août|décembre", text)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_verification_url_is_printed_whole_on_one_line(
    client, member, coverage_member, language
):
    lines = attestation(client, member, coverage_member, language, language)
    urls = [line for line in lines if "://" in line]
    assert len(urls) == 1
    assert re.fullmatch(r"https?://\S+/", urls[0])


def test_the_first_of_a_month_is_written_1er_in_french():
    from django.utils import translation

    from coverage.proof import _long_date

    with translation.override("fr"):
        assert _long_date(date(2027, 9, 1), "fr") == "1er septembre 2027"
        assert _long_date(date(2027, 9, 11), "fr") == "11 septembre 2027"
    with translation.override("en"):
        assert "1er" not in _long_date(date(2027, 9, 1), "en")
