"""What a person must never read on a member-facing page, mail or export.

Shared by the tests of issue 15: no account or row ids outside URLs, no Python
booleans, no cents, no ISO timestamps, no raw choice codes.
"""

from __future__ import annotations

import ast
import functools
import html as html_lib
import re
from pathlib import Path

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
# "None" is also an English word: "None is set until you sign in." is a sentence.
PY_LITERALS = re.compile(
    r"\b(True|False)\b|\bNone\b(?!\s+(?:is|of|are|was|were|has|have|will|yet|so)\b)"
)
CENTS = re.compile(r"\(cents\)|\bcents\b", re.I)
ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?")
# Choice codes with an underscore read as code in either language; single words only in
# French, where the English code is not a word of the page.
CODES_ANY = re.compile(
    r"\b(in_review|opted_out|sign_in|profile_updated|preferences_updated|dependant_added|"
    r"processor_mandate|waiting_member|identify_and_communicate|proof_of_coverage)\b"
)
CODES_FR = re.compile(
    r"\b(paid|received|refused|covered|pending|health|dental|spouse|child|submitted|"
    r"approved|fulfilled|closed|banner|access|deletion)\b"
)
URL = re.compile(r"https?://\S+")


def text_of(markup: str) -> str:
    """What a reader sees: no tags, no attributes (links may carry ids), entities decoded."""
    markup = re.sub(r"<(script|style|code)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", markup))


def problems(text: str, *, language: str) -> list[str]:
    """Every internal a person would read in ``text`` (plain text, URLs allowed)."""
    found = []
    without_urls = URL.sub(" ", text)
    for name, pattern in (
        ("id", UUID),
        ("Python literal", PY_LITERALS),
        ("cents", CENTS),
        ("ISO timestamp", ISO_TIMESTAMP),
        ("choice code", CODES_ANY),
    ):
        found += [f"{name}: {m.group(0)!r}" for m in pattern.finditer(without_urls)]
    if language == "fr":
        found += [f"choice code: {m.group(0)!r}" for m in CODES_FR.finditer(without_urls)]
    return found


def assert_readable(text: str, *, language: str, where: str = "") -> None:
    found = problems(text, language=language)
    assert not found, f"{where}: {found[:10]}"


# --- A JSON Schema validator for the subset our export schema uses ----------------

DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")
TYPES = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def schema_errors(value, schema: dict, root: dict | None = None, path: str = "$") -> list[str]:
    """type, const, enum, required, properties, additionalProperties, items, $ref, oneOf,
    anyOf, minimum, format date-time: what export.schema.json uses, nothing more."""
    root = root or schema
    if "$ref" in schema:
        target = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return schema_errors(value, target, root, path)
    errors: list[str] = []
    if "type" in schema and not TYPES[schema["type"]](value):
        return [f"{path}: not {schema['type']}"]
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: {value!r} != {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if "minimum" in schema and isinstance(value, int | float) and value < schema["minimum"]:
        errors.append(f"{path}: below minimum")
    is_text = isinstance(value, str)
    if schema.get("format") == "date-time" and is_text and not DATE_TIME.match(value):
        errors.append(f"{path}: not a date-time")
    for key in ("anyOf", "oneOf"):
        if key in schema:
            matches = [s for s in schema[key] if not schema_errors(value, s, root, path)]
            if not matches or (key == "oneOf" and len(matches) > 1):
                errors.append(f"{path}: {len(matches)} of {key} match")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{path}: missing {name}")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                errors += schema_errors(item, properties[name], root, f"{path}.{name}")
            elif extra is False:
                errors.append(f"{path}: unexpected {name}")
            elif isinstance(extra, dict):
                errors += schema_errors(item, extra, root, f"{path}.{name}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            errors += schema_errors(item, schema["items"], root, f"{path}[{index}]")
    return errors


# --- One language per page, against the catalogue ------------------------------------

LOCALE = Path(__file__).resolve().parents[1] / "locale"
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{\{[^}]*\}\}|\{[a-z_]*\}|<[^>]+>")
WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")


def po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr (the singular) of a .po file, obsolete entries left out."""
    entries: dict[str, str] = {}
    msgid = msgstr = None
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#~"):
            continue
        if line.startswith("msgid "):
            if msgid:
                entries[msgid] = msgstr or ""
            msgid, msgstr, key = ast.literal_eval(line[6:]), "", "msgid"
        elif line.startswith("msgid_plural"):
            key = "plural"
        elif line.startswith(("msgstr ", "msgstr[0] ")):
            msgstr, key = ast.literal_eval(line.split(" ", 1)[1]), "msgstr"
        elif line.startswith("msgstr["):
            key = "other"
        elif line.startswith('"') and key in {"msgid", "msgstr"}:
            if key == "msgid":
                msgid += ast.literal_eval(line)
            else:
                msgstr += ast.literal_eval(line)
    if msgid:
        entries[msgid] = msgstr or ""
    return entries


def normalise(text: str) -> str:
    """Compared without typography: one kind of space and apostrophe, no space before
    high punctuation, no « » spacing."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" ([:;?!»])", r"\1", text)
    return re.sub(r"« ", "«", text).strip()


def _fragments(msg: str) -> list[str]:
    return [normalise(part) for part in PLACEHOLDER.split(msg) if normalise(part)]


@functools.cache
def language_pairs() -> list[tuple[str, str]]:
    """(French, English) for every catalogue string whose two languages differ.

    Our own strings are written in French and translated in locale/en; allauth's and
    Django's are written in English and translated in their French catalogue (or ours).
    """
    from django.utils import translation
    from django.utils.translation import trans_real

    ours_en = po_entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    ours_fr = po_entries(LOCALE / "fr" / "LC_MESSAGES" / "django.po")
    pairs: list[tuple[str, str]] = []
    for msgid, english in ours_en.items():
        if english and english != msgid:
            pairs.append((ours_fr.get(msgid) or msgid, english))
    with translation.override("fr"):
        french_catalogue = trans_real.translation("fr")._catalog
        for msgid, french in french_catalogue.items():
            if isinstance(msgid, tuple):  # a plural form
                msgid = msgid[0]
            if not isinstance(msgid, str) or not msgid:
                continue
            if ours_en.get(msgid, msgid) != msgid:  # ours, written in French
                continue
            if isinstance(french, str) and french and french != msgid:
                pairs.append((french, msgid))
    return pairs


@functools.cache
def foreign_phrases(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """The other language's phrases a page in ``language`` must not show: (sentences of
    three words or more, matched anywhere; short labels, matched as a whole line)."""
    own: set[str] = set()
    foreign: set[str] = set()
    for french, english in language_pairs():
        mine, theirs = (french, english) if language == "fr" else (english, french)
        own.update(_fragments(mine))
        for fragment in _fragments(theirs):
            if fragment not in _fragments(mine):
                foreign.add(fragment)
    foreign -= own
    long = {f for f in foreign if len(WORD.findall(f)) >= 3}
    short = {f for f in foreign - long if WORD.search(f) and len(f) > 2}
    return frozenset(long), frozenset(short)


def lines_of(markup: str, language: str) -> list[str]:
    """The page's visible text, one line per block (paragraph, item, cell, button)."""
    markup = re.sub(r"<(script|style|template|code)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    # Words marked as another language (the language switch, a letter in English).
    markup = re.sub(
        rf'<(\w+)\b[^>]*\blang="(?!{language})[a-z-]+"[^>]*>.*?</\1>', " ", markup, flags=re.S
    )
    markup = re.sub(
        r"</?(p|li|h[1-6]|dt|dd|div|td|th|tr|section|title|label|legend|ul|ol|br|button|"
        r"option|summary|caption|figcaption|header|footer|nav|form|table|details|a)\b[^>]*>",
        "\n",
        markup,
        flags=re.I,
    )
    text = html_lib.unescape(re.sub(r"<[^>]*>", " ", markup))
    return [normalise(line) for line in text.splitlines() if normalise(line)]


def wrong_language(markup: str, *, language: str) -> list[str]:
    """Sentences and labels of the other language on a page in ``language``."""
    long, short = foreign_phrases(language)
    lines = lines_of(markup, language)
    found = [line for line in lines if line in short]
    text = "\n".join(lines)
    for phrase in long:
        if phrase in text and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text):
            found.append(phrase)
    return sorted(set(found))


@functools.cache
def choice_codes(language: str) -> frozenset[str]:
    """Stored choice values of our models that have a different label, and that read as
    code in ``language``: with an underscore, or a word no catalogue sentence of the
    language uses ("paid" on a French page, "in_review" anywhere)."""
    from django.apps import apps
    from django.utils import translation

    words: set[str] = set()
    for french, english in language_pairs():
        words.update(w.lower() for w in WORD.findall(french if language == "fr" else english))
    codes: set[str] = set()
    ours = ("coverage", "members", "privacy")
    with translation.override(language):
        for model in apps.get_models():
            if not model.__module__.startswith(ours):
                continue
            for field in model._meta.get_fields():
                for value, label in getattr(field, "flatchoices", None) or ():
                    if not isinstance(value, str) or not re.fullmatch(r"[a-z][a-z0-9_]{2,}", value):
                        continue
                    if value == str(label) or value.lower() == str(label).lower():
                        continue
                    if "_" in value or value not in words:
                        codes.add(value)
    return frozenset(codes)


def raw_codes(text: str, *, language: str) -> list[str]:
    codes = choice_codes(language)
    return sorted(
        {w for w in re.findall(r"\b[a-z][a-z0-9_]{2,}\b", URL.sub(" ", text)) if w in codes}
    )


def amounts_in_cents(text: str, cents: set[int]) -> list[str]:
    """Stored amounts shown as their number of cents ("8500", "8 500" for 85,00 $): a
    number with no decimals that is one of ``cents``; dollars ("8 500,00 $") pass."""
    found = []
    for amount in cents:
        if amount < 1000 or amount % 100:
            continue  # "500" or "1234" could be anything; 8500 for $85.00 cannot
        digits = str(amount)
        head, tail = digits[:-3], digits[-3:]
        pattern = rf"(?<![\d.,]){head}[\u00a0\u202f ,]?{tail}(?!\d|[.,]\d)"
        if re.search(pattern, URL.sub(" ", text)):
            found.append(f"amount in cents: {digits}")
    return found
