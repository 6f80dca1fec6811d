"""coverage's tunables, read in one place (documented in .env.example)."""

from django.conf import settings


def _get(name: str, default):
    return getattr(settings, name, default)


def proof_token_max_age() -> int:
    """Seconds a proof-of-coverage QR code stays valid."""
    return int(_get("COVERAGE_PROOF_TOKEN_MAX_AGE", 30 * 24 * 3600))


def verify_rate_limit() -> int:
    """Verifications allowed per minute from one network (IPv4 /24, IPv6 /48)."""
    return int(_get("COVERAGE_VERIFY_RATE_LIMIT", 30))


def proof_upload_max_bytes() -> int:
    return int(_get("COVERAGE_PROOF_UPLOAD_MAX_BYTES", 5 * 1024 * 1024))


def import_chunk_size() -> int:
    return int(_get("COVERAGE_IMPORT_CHUNK_SIZE", 2000))
