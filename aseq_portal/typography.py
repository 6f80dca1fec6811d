"""Typography of a rendered page, by language: one place instead of every catalogue string.

French (Office québécois de la langue française): a non-breaking space before
":" and a narrow one before ";", "?" and "!", non-breaking spaces inside « »,
"1er" for the first day of a month, the typographic apostrophe (’); no line can
then start with a colon.
English: no space at all before those signs.

Only text between tags changes: never markup, attribute values (a form's
values go back to the server as typed), entities, nor the content of
script, style, pre, code or textarea.
"""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

NBSP = "\u00a0"
NNBSP = "\u202f"  # espace fine insécable
SPACES = " \u00a0\u202f"

_TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_RAW = re.compile(r"<(script|style|pre|code|textarea)\b", re.I)
_ENTITY = re.compile(r"(&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#x[0-9a-fA-F]+);)")
# A sign that ends a word or a clause: followed by a space, the end, or closing punctuation.
_END = r"(?=$|[\s»)\]\"'’.,…])"
# After a word, or at the start of a text run that follows an inline element ("<a>…</a> :").
_FR_COLON = re.compile(rf"(?:(?<=[^\s(\[«])|^)[ \u00a0\u202f]?:{_END}")
_FR_OTHER = re.compile(rf"(?:(?<=[^\s(\[«;?!])|^)[ \u00a0\u202f]?([;?!]+){_END}")
_FR_OPEN = re.compile(r"«[ \u00a0\u202f]?")
_FR_CLOSE = re.compile(r"[ \u00a0\u202f]?»")
_FR_FIRST = re.compile(
    r"(?<![\w,.])1(?=[ \u00a0](?:janvier|février|mars|avril|mai|juin|juillet|août|"
    r"septembre|octobre|novembre|décembre)\b)"
)
# "l'adresse" -> "l’adresse": allauth's French, and any text typed with a straight one.
_FR_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
_EN_SPACE = re.compile(rf"(?:(?<=\S)|^)[ \u00a0\u202f]+([:;?!]){_END}")


def _french(text: str) -> str:
    text = _FR_COLON.sub(NBSP + ":", text)
    text = _FR_OTHER.sub(lambda m: NNBSP + m.group(1), text)
    text = _FR_OPEN.sub("«" + NBSP, text)
    text = _FR_CLOSE.sub(NBSP + "»", text)
    text = _FR_APOSTROPHE.sub("’", text)
    return _FR_FIRST.sub("1er", text)


def _english(text: str) -> str:
    return _EN_SPACE.sub(r"\1", text)


def _text(text: str, fix) -> str:
    # Entities stay whole (the ";" of "&amp;" is not punctuation).
    return "".join(
        part if index % 2 else fix(part) for index, part in enumerate(_ENTITY.split(text))
    )


def typeset(html: str, language: str | None) -> str:
    """``html`` with the punctuation spacing of ``language`` in its text."""
    language = (language or "")[:2]
    fix = _french if language == "fr" else _english if language == "en" else None
    if fix is None:
        return html
    out: list[str] = []
    raw_until: str | None = None
    for index, part in enumerate(_TAG.split(html)):
        if index % 2:  # a tag or a comment
            out.append(part)
            if raw_until is None:
                opening = _RAW.match(part)
                if opening:
                    raw_until = f"</{opening.group(1).lower()}"
            elif part.lower().startswith(raw_until):
                raw_until = None
        else:
            out.append(part if raw_until or not part.strip() else _text(part, fix))
    return "".join(out)


class TypographyNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return mark_safe(typeset(self.nodelist.render(context), get_language()))  # noqa: S308 - re-spacing rendered, escaped HTML  # nosec B308 B703


@register.tag
def typography(parser, token):
    """{% typography %}…{% endtypography %}: the page's text, spaced for its language."""
    nodelist = parser.parse(("endtypography",))
    parser.delete_first_token()
    return TypographyNode(nodelist)
