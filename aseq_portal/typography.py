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


# What each language's substitutions need in a text run: a run without any of these
# comes out as it went in.
# Single characters: str.find looks for one with memchr, for two far more slowly.
_FR_NEEDLES: tuple[str, ...] = (":", ";", "?", "!", "«", "»", "1", "'")
_EN_NEEDLES: tuple[str, ...] = (":", ";", "?", "!")


def _french(text: str) -> str:
    # Each substitution needs its sign in the text; `in` finds it at C speed.
    if ":" in text:
        text = _FR_COLON.sub(NBSP + ":", text)
    if ";" in text or "?" in text or "!" in text:
        text = _FR_OTHER.sub(lambda m: NNBSP + m.group(1), text)
    if "«" in text:
        text = _FR_OPEN.sub("«" + NBSP, text)
    if "»" in text:
        text = _FR_CLOSE.sub(NBSP + "»", text)
    if "'" in text:
        text = _FR_APOSTROPHE.sub("’", text)
    if "1" in text:
        text = _FR_FIRST.sub("1er", text)
    return text


def _english(text: str) -> str:
    return _EN_SPACE.sub(r"\1", text)


def _text(text: str, fix) -> str:
    # Entities stay whole (the ";" of "&amp;" is not punctuation).
    if "&" not in text:
        return fix(text)
    return "".join(
        part if index % 2 else fix(part) for index, part in enumerate(_ENTITY.split(text))
    )


def typeset(html: str, language: str | None) -> str:
    """``html`` with the punctuation spacing of ``language`` in its text."""
    language = (language or "")[:2]
    if language == "fr":
        fix, needles = _french, _FR_NEEDLES
    elif language == "en":
        fix, needles = _english, _EN_NEEDLES
    else:
        return html
    if "<!--" not in html:
        runs = _runs_with_signs(html, needles)
        if runs is not None:
            if not runs:
                return html
            out: list[str] = []
            done = 0
            for start, end in sorted(runs.items()):
                out += (html[done:start], _text(html[start:end], fix))
                done = end
            out.append(html[done:])
            return "".join(out)
    return _typeset_tokens(html, fix)


# Every page goes through typeset(). Cutting the whole page into tags and text and
# trying each substitution at every character of every run was most of a page's
# work (16 of 27 million instructions on the coverage summary), although few runs
# hold a sign at all. So the signs are found first, with str.find (C speed), and
# only the text runs holding one are typeset. A run is found from its sign: the
# tags being ``<[^>]*>`` (what _TAG.split cuts when there is no comment), a sign
# is inside a tag exactly when a "<" follows the last ">" before it (and a ">"
# comes after it); its run ends at the next "<" and starts after the ">" that
# closed the tag before it. Anything unusual (a comment, a "<" or ">" in text)
# goes the plain way, _typeset_tokens; tests/aseq_portal/test_typography.py checks
# that both ways give the same page.
_AFTER_ONE = (" ", "\u00a0")  # _FR_FIRST: "1" then a space and a month
_RAW_OPENING = re.compile(r"<(?i:(script|style|pre|code|textarea))\b")


def _runs_with_signs(html: str, needles: tuple[str, ...]) -> dict[int, int] | None:
    """{start: end} of the text runs that hold a sign and are not raw text; None when
    the page is not plain enough for this shortcut."""
    raw = _raw_spans(html)
    if raw is None:
        return None
    runs: dict[int, int] = {}
    for needle in needles:
        at = html.find(needle)
        while at != -1:
            if needle == "1" and html[at + 1 : at + 2] not in _AFTER_ONE:
                at = html.find(needle, at + 1)
                continue
            closed = html.rfind(">", 0, at)
            if html.find("<", closed + 1, at) != -1:  # inside a tag, if it ends
                if html.find(">", at) == -1:
                    return None
                at = html.find(needle, at + 1)
                continue
            start = closed + 1
            if start and html.find("<", html.rfind(">", 0, closed) + 1, closed) == -1:
                return None  # that ">" is text, not the end of a tag
            end = html.find("<", at)
            if end == -1:
                end = len(html)
            elif html.find(">", end) == -1:
                return None  # a "<" in text
            if not any(first < at < last for first, last in raw):
                runs[start] = end
            at = html.find(needle, end)
    return runs


def _raw_spans(html: str) -> list[tuple[int, int]] | None:
    """(end of the opening tag, start of the closing tag) of each script, style, pre,
    code and textarea element, as _typeset_tokens finds them; None when unusual."""
    spans: list[tuple[int, int]] = []
    search_from = 0
    while True:
        opening = _RAW_OPENING.search(html, search_from)
        if opening is None:
            return spans
        at = opening.start()
        if not _tag_starts_at(html, at):
            return None
        opened = html.find(">", at)
        until = f"</{opening.group(1).lower()}"
        closing = html.find("</", opened)
        while closing != -1:
            if not _tag_starts_at(html, closing):
                return None
            if html[closing : html.find(">", closing) + 1].lower().startswith(until):
                break
            closing = html.find("</", closing + 2)
        if closing == -1:
            spans.append((opened, len(html)))
            return spans
        spans.append((opened, closing))
        search_from = closing


def _tag_starts_at(html: str, at: int) -> bool:
    """Whether the "<" at ``at`` starts a tag (not inside one, and one that ends)."""
    closed = html.rfind(">", 0, at)
    return html.find("<", closed + 1, at) == -1 and html.find(">", at) != -1


def _typeset_tokens(html: str, fix) -> str:
    """The plain way: every tag and every text run in turn."""
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
