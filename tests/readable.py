"""What a person must never read on a member-facing page, mail or export.

Shared by the tests of issue 15: no account or row ids outside URLs, no Python
booleans, no cents, no ISO timestamps, no raw choice codes.
"""

from __future__ import annotations

import html as html_lib
import re

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
PY_LITERALS = re.compile(r"\b(True|False|None)\b")
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
    r"approved|fulfilled|closed|banner|correction|access|deletion)\b"
)
URL = re.compile(r"https?://\S+")


def text_of(markup: str) -> str:
    """What a reader sees: no tags, no attributes (links may carry ids), entities decoded."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S | re.I)
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
