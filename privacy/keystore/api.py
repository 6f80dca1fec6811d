"""What the rest of the portal uses of the key store."""

from privacy.keystore.router import KEYSTORE, KeystoreRouter
from privacy.keystore.services import (
    backups_cleared_on,
    data_key_counts,
    data_key_create,
    data_keys_destroy,
    keystore_cache_clear,
)

__all__ = [
    "KEYSTORE",
    "KeystoreRouter",
    "backups_cleared_on",
    "data_key_counts",
    "data_key_create",
    "data_keys_destroy",
    "keystore_cache_clear",
]
