"""The HMAC-SHA256 blind index: equality lookups on encrypted values. Django-free.

A value is normalised (``NORMALISERS``: what may differ and still be the same
value), then keyed-hashed; the digest is stored beside the ciphertext and
compared, never the value.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable, Sequence

_SPACES = re.compile(r"\s+")
_NAME_PUNCTUATION = re.compile(r"[\-‐‑‒–—'’`´.]+")


def normalise_text(value: str) -> str:
    """Case and spacing do not matter; accents do."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip().casefold()


def normalise_email(value: str) -> str:
    """The whole address, case-insensitively, without surrounding spaces."""
    return unicodedata.normalize("NFKC", value).strip().casefold()


def normalise_digits(value: str) -> str:
    """Only the digits count: student numbers, phone numbers."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", value) if ch.isdigit())


def normalise_name(value: str) -> str:
    """Case, accents, hyphens, apostrophes and spacing do not matter.

    "Hélène-Marie D'Amours" and "helene marie d amours" are the same name.
    """
    decomposed = unicodedata.normalize("NFKD", value)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    spaced = _NAME_PUNCTUATION.sub(" ", without_accents)
    return _SPACES.sub(" ", spaced).strip().casefold()


NORMALISERS: dict[str, Callable[[str], str]] = {
    "text": normalise_text,
    "email": normalise_email,
    "digits": normalise_digits,
    "name": normalise_name,
}

Normaliser = str | Callable[[str], str]


def resolve_normaliser(normaliser: Normaliser) -> Callable[[str], str]:
    if callable(normaliser):
        return normaliser
    try:
        return NORMALISERS[normaliser]
    except KeyError:
        raise ValueError(
            f"Unknown blind index normaliser {normaliser!r}; use one of "
            f"{sorted(NORMALISERS)} or a callable"
        ) from None


def blind_index_digests(
    value: str, *, normaliser: Normaliser, keys: Sequence[bytes]
) -> tuple[str, ...]:
    """HMAC-SHA256 (hex) of the normalised value under each of ``keys``, in order."""
    normalised = resolve_normaliser(normaliser)(str(value)).encode()
    return tuple(hmac.new(key, normalised, hashlib.sha256).hexdigest() for key in keys)
