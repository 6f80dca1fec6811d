"""For values an app seals outside an encrypted column (allauth's MFA secrets):
the cipher bound to the keyring, and the declaration that lets key rotation re-seal
and count them before an old key is removed."""

from privacy.crypto import DecryptionError, aad_for, key_id_of, keyring, seal, unseal
from privacy.rotation.sources import SealedSource, register_sealed_source

__all__ = [
    "DecryptionError",
    "SealedSource",
    "aad_for",
    "key_id_of",
    "keyring",
    "register_sealed_source",
    "seal",
    "unseal",
]
