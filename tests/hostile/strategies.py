"""What a hostile or clumsy visitor types: hypothesis strategies for form fields and queries."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

FRAGMENTS = [
    "' OR '1'='1' --",
    "Robert'); DROP TABLE members_user;--",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "{{ 7*7 }}{% debug %}",
    "${7*7}",
    "../../../../etc/passwd",
    "%00",
    "\x00",
    "\r\nSet-Cookie: injected=1",
    "\u202eevil\u202c",  # right-to-left override
    "مرحبا بالعالم",  # Arabic
    "שלום עולם",  # Hebrew
    "👩🏽‍🎓🦷💊",
    "Zoë Ñúñez-Côté",
    "1e309",
    "-1",
    "NaN",
    "2026-02-30",
    "0000-00-00",
    "null",
    "[]",
    "{}",
    "true",
    "https://evil.example.com/",
    "//evil.example.com",
    "javascript:alert(1)",
]

short_text = st.text(max_size=40)  # any code point, control characters included
long_text = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["a", "é", "😀", "\u202e", "<", "'", " "]),
    st.integers(min_value=256, max_value=20_000),
)
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
emails = st.builds(
    lambda local, domain: f"{local}@{domain}",
    st.sampled_from(["a", "x" * 300, "\u202eadmin", "o'brien", "<b>", "é"]),
    st.sampled_from(["example.org", "example", "exämple.org", "-.org", "[127.0.0.1]"]),
)
one_value = st.one_of(
    st.sampled_from(FRAGMENTS), short_text, long_text, numbers, emails, st.just("")
)

# Uploads: a wrong type, a lying extension, an oversized file, an empty one.
UPLOADS = [
    ("virus.exe", b"MZ\x90\x00" + b"\x00" * 64, "application/x-msdownload"),
    ("preuve.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
    ("preuve.jpg", b"%PDF-1.4 not really a jpeg", "image/jpeg"),
    ("image.png", b"GIF89a" + b"\x00" * 32, "image/png"),
    ("vide.pdf", b"", "application/pdf"),
    ("../../etc/passwd", b"root:x:0:0", "text/plain"),
    ("grosse.pdf", b"%PDF-1.4\n" + b"0" * (12 * 1024 * 1024), "application/pdf"),
]
uploads = st.sampled_from(UPLOADS).map(
    lambda spec: SimpleUploadedFile(spec[0], spec[1], content_type=spec[2])
)

MISSING = object()


def field_value(kind: str, options: list[str]) -> st.SearchStrategy:
    """A value for one field: missing, hostile, a list where one was expected, or fair."""
    if kind == "file":
        return st.one_of(st.just(MISSING), uploads)
    fair = st.sampled_from(options) if options else one_value
    return st.one_of(
        st.just(MISSING),
        fair,
        one_value,
        st.lists(one_value, min_size=2, max_size=3),  # wrong type: many where one is asked
    )


query_names = st.one_of(
    st.sampled_from(["next", "page", "q", "lang", "language", "sort", "o", "year", "on", "id"]),
    st.text(min_size=1, max_size=12),
)
query_params = st.dictionaries(query_names, st.one_of(one_value, long_text), max_size=4)
