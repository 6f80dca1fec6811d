"""Proof of coverage: the signed QR token, the QR image and the PDF letter.

The QR code carries a signed, expiring token (django.core.signing with its own
salt) naming only the person's id; the public verification page looks the
coverage up at scan time, so an opt-out or a new year shows at once. Images and
PDFs are made here, in pure Python (segno, fpdf2): nothing from a third party.
"""

from __future__ import annotations

import hashlib
import io
import time
import uuid
from datetime import date

import segno
from django.conf import settings
from django.core import signing
from django.utils import translation
from django.utils.translation import gettext as _

from privacy.dates import date_text
from privacy.sealed_cache import sealed_cache_get, sealed_cache_set

from .app_settings import app_settings
from .models import Part
from .selectors import ProofOfCoverage

TOKEN_SALT = "coverage.proof-of-coverage"  # noqa: S105 - a salt, not a secret


class ProofTokenInvalid(Exception):
    """Altered or unreadable."""


class ProofTokenExpired(Exception):
    pass


# Tokens are dated to the start of their UTC day: a person's token is the same all
# day, so its QR code is drawn once a day instead of on every visit (drawing is
# most of the proof page's cost). A token can be up to a day older than the
# moment it was shown, which only brings its expiry (30 days by default) forward.
TOKEN_PERIOD_SECONDS = 86400


class _DailySigner(signing.TimestampSigner):
    def timestamp(self) -> str:
        now = int(time.time())
        return signing.b62_encode(now - now % TOKEN_PERIOD_SECONDS)


def proof_token_issue(*, person_id: uuid.UUID) -> str:
    """A signed token naming the person, read back by ``proof_token_read``."""
    return _DailySigner(salt=TOKEN_SALT).sign_object({"p": str(person_id)}, compress=True)


def proof_token_read(*, token: str, max_age: int | None = None) -> uuid.UUID:
    """The person id a token names; raises ProofTokenExpired or ProofTokenInvalid."""
    try:
        payload = signing.loads(
            token,
            salt=TOKEN_SALT,
            max_age=app_settings.PROOF_TOKEN_MAX_AGE if max_age is None else max_age,
        )
    except signing.SignatureExpired as exc:
        raise ProofTokenExpired from exc
    except signing.BadSignature as exc:
        raise ProofTokenInvalid from exc
    try:
        return uuid.UUID(payload["p"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ProofTokenInvalid from exc


def qr_svg_data_uri(url: str) -> str:
    """An SVG data URI (CSP allows data: images), drawn on our own server.

    Kept for the token's day, sealed (the code is a key to the person's proof).
    """
    key = f"coverage:qr:{hashlib.sha256(url.encode()).hexdigest()}"
    kept = sealed_cache_get(key)
    if kept is not None:
        return kept.decode()
    uri = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    sealed_cache_set(key, uri.encode(), timeout=TOKEN_PERIOD_SECONDS)
    return uri


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def part_label(part: str) -> str:
    return str(Part(part).label)


def _latin1(text: str) -> str:
    """The PDF core fonts speak Latin-1: map the few typographic characters outside it."""
    table = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u202f": "\u00a0"}
    text = "".join(table.get(c, c) for c in str(text))
    return text.encode("latin-1", "replace").decode("latin-1")


def _long_date(day: date, language: str) -> str:
    """The date as the letter's language writes it: "1er septembre 2027", "September 1, 2027"."""
    return date_text(day, language)


def _spaced(text: str, language: str) -> str:
    """French typography: a non-breaking space before a colon (never a line starting with one)."""
    return text.replace(" :", "\u00a0:") if language == "fr" else text


def _one_line_font_size(pdf, text: str, *, largest: float, smallest: float = 5) -> float:
    """The largest font size (<= ``largest``) at which ``text`` fits on one line."""
    size = largest
    while size > smallest:
        pdf.set_font_size(size)
        if pdf.get_string_width(text) <= pdf.epw:
            break
        size -= 0.5
    return size


def attestation_pdf(
    *, proof: ProofOfCoverage, verify_url: str, language: str, brand: str, today: date
) -> bytes:
    """The attestation letter (for landlords, visas, clinics) in the member's chosen language."""
    from fpdf import FPDF

    with translation.override(language):
        pdf = FPDF(format="Letter")
        pdf.set_title(_latin1(_("Attestation de couverture")))
        pdf.set_author(_latin1(brand))
        pdf.add_page()
        pdf.set_margins(20, 20, 20)
        pdf.set_font("Helvetica", "B", 18)
        pdf.cell(0, 12, _latin1(brand), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "B", 15)
        pdf.cell(0, 10, _latin1(_("Attestation de couverture")), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        pdf.cell(
            0,
            8,
            _latin1(_long_date(today, language)),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(4)
        pdf.set_font("Helvetica", "", 12)
        if proof.covered_parts:
            parts = ", ".join(part_label(p).lower() for p in proof.covered_parts)
            # The association's name follows no "de": "de Association étudiante…" is wrong.
            body = _(
                "Nous attestons que {name}, numéro de membre {number}, est couvert par le "
                "régime étudiant collectif d’assurance ({association}) pour les volets "
                "suivants : {parts}, jusqu’au {until} inclusivement."
            ).format(
                name=proof.full_name,
                number=proof.card_number,
                association=proof.association_name,
                parts=parts,
                until=_long_date(proof.valid_through, language),
            )
        else:
            body = _(
                "{name}, numéro de membre {number}, n’est couvert par aucun volet du régime "
                "étudiant collectif d’assurance ({association}) à cette date."
            ).format(
                name=proof.full_name,
                number=proof.card_number,
                association=proof.association_name,
            )
        pdf.multi_cell(0, 7, _latin1(_spaced(body, language)), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.multi_cell(
            0,
            7,
            _latin1(
                _(
                    "Pour vérifier cette attestation, balayez le code QR ou ouvrez l’adresse "
                    "ci-dessous. La vérification montre seulement le nom, le numéro de membre, "
                    "les volets couverts et la date de fin de validité."
                )
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(2)
        pdf.image(io.BytesIO(qr_png(verify_url)), w=45)
        # One line, never broken: a URL cut in two cannot be typed back.
        pdf.set_font("Helvetica", "", 8)
        _one_line_font_size(pdf, verify_url, largest=8)
        pdf.cell(0, 4, _latin1(verify_url), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(
            0,
            6,
            _latin1(
                _spaced(
                    _(
                        "Questions : centre de service aux membres, {phone}, du lundi au "
                        "vendredi, de 9 h à 17 h (heure de Montréal)."
                    ).format(phone=settings.SERVICE_CENTRE_PHONE),
                    language,
                )
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        return bytes(pdf.output())
