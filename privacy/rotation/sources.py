"""Sealed values kept outside encrypted columns, declared to key rotation by their app.

Encrypted fields are found through the models; a value sealed elsewhere (say,
allauth's MFA secrets inside a JSON column, members/mfa.py) is declared here by
the app that seals it, so ``rotate_encryption_keys`` re-seals it and counts it
before anyone removes an old key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SealedSource:
    name: str
    # Stored values per key id ("?" for values under no key id of the keyring).
    key_usage: Callable[[], dict[str, int]]
    # Re-seal under the primary key: (values re-sealed, failures naming rows, never values).
    rotate: Callable[[], tuple[int, list[str]]]


_sources: dict[str, SealedSource] = {}


def register_sealed_source(source: SealedSource) -> None:
    _sources[source.name] = source


def sealed_sources() -> list[SealedSource]:
    return list(_sources.values())
