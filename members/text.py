"""Names and addresses: what a person can type and see, nothing hidden.

Bidirectional overrides (U+202E), zero-width spaces and other invisible format
or control characters can make a stored name read differently from what it is
(on the proof card, in a staff search). They are refused, with a message, in
every name and address field; what is kept is NFC-normalised, so "é" typed as
one or two code points is the same name.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control, format, private-use, surrogate, unassigned, line and paragraph separators.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
# Format characters that languages need inside words: the zero-width non-joiner
# and joiner (Persian, the Indic scripts, ligature control).
LANGUAGE_JOINERS = frozenset({"\u200c", "\u200d"})

HIDDEN_CHARACTER_MESSAGE = _(
    "Ce champ contient un caractère invisible ou de contrôle (par exemple un marqueur de "
    "sens du texte ou une espace sans largeur), souvent ajouté par un copier-coller. "
    "Retapez-le au clavier."
)


def hidden_characters(value: str) -> list[str]:
    """The characters of ``value`` that a reader would not see, in order."""
    return [
        char
        for char in value
        if char not in LANGUAGE_JOINERS and unicodedata.category(char) in HIDDEN_CATEGORIES
    ]


def plain_text_validator(value: str) -> None:
    """Refuse a name or address that carries an invisible or control character."""
    if hidden_characters(value):
        raise ValidationError(HIDDEN_CHARACTER_MESSAGE, code="hidden_character")


def plain_text(value: str) -> str:
    """The NFC form of a validated value: what is stored and compared."""
    return unicodedata.normalize("NFC", value)


class PlainTextField(forms.CharField):
    """A name or address: NFC-normalised, invisible characters refused."""

    default_validators = [plain_text_validator]

    def to_python(self, value):
        return plain_text(super().to_python(value))
