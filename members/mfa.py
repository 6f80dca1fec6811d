"""Second factors' secrets sealed with the portal's field encryption, bound to their row.

allauth keeps a TOTP secret and a recovery-code seed in ``mfa_authenticator.data``
(JSON) and passes them through its adapter's ``encrypt``/``decrypt`` hooks,
which store them in clear by default: whoever read the database held every
staff second factor. Here they are AES-256-GCM tokens under
``PRIVACY_ENCRYPTION_KEYS``, whose associated data names the column and the
authenticator's owner and type. A token copied into another row (say, an
insider's own TOTP secret into a staff member's authenticator) does not open.

The hooks see only the text, not the row, so binding takes three steps:
``encrypt`` seals for "a new authenticator"; saving the row seals again for
its owner and type (``pre_save``); loading a row (``post_init``) keeps only the
tokens bound to that very row, and a foreign or clear value becomes a refusal
that ``decrypt`` raises on. Stored format: ``mfa1:<type>:<user id>:<token>``.
"""

from __future__ import annotations

import logging
from collections import Counter

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.db.models.signals import post_init, pre_save
from django.dispatch import receiver

from privacy.rotation.api import (
    DecryptionError,
    SealedSource,
    aad_for,
    key_id_of,
    keyring,
    register_sealed_source,
    seal,
    unseal,
)

logger = logging.getLogger(__name__)

TABLE = "mfa_authenticator"
COLUMN = "data"
PREFIX = "mfa1:"
UNSAVED = "new"
REFUSED = f"{PREFIX}refused"
# The values of ``data`` that are secrets; "migrated_codes" is a list of them.
SECRET_KEYS = ("secret", "seed")
SECRET_LISTS = ("migrated_codes",)


def _binding(kind: str, user_id: object) -> str:
    return f"{kind}:{user_id}"


def _aad(binding: str) -> bytes:
    return aad_for(table=TABLE, column=COLUMN, row_id=binding)


def seal_secret(text: str, *, binding: str = UNSAVED) -> str:
    return f"{PREFIX}{binding}:{seal(text.encode('utf-8'), aad=_aad(binding))}"


def _split(value: str) -> tuple[str, str]:
    """(binding, token) of a stored value; ``DecryptionError`` when it is not one of ours."""
    if not isinstance(value, str) or not value.startswith(PREFIX) or value == REFUSED:
        raise DecryptionError("second factor secret refused: not sealed for this row")
    rest = value[len(PREFIX) :]
    if rest.startswith(f"{UNSAVED}:"):
        return UNSAVED, rest[len(UNSAVED) + 1 :]
    kind, _sep, rest = rest.partition(":")
    user_id, _sep, token = rest.partition(":")
    if not kind or not user_id or not token:
        raise DecryptionError("second factor secret refused: malformed")
    return _binding(kind, user_id), token


def open_secret(value: str) -> str:
    binding, token = _split(value)
    return unseal(token, aad=_aad(binding)).decode("utf-8")


def _is_bound_to(value: object, binding: str) -> bool:
    return isinstance(value, str) and value.startswith(f"{PREFIX}{binding}:")


def _each_secret(data: dict, change) -> None:
    for key in SECRET_KEYS:
        if key in data:
            data[key] = change(data[key])
    for key in SECRET_LISTS:
        if isinstance(data.get(key), list):
            data[key] = [change(item) for item in data[key]]


def seal_for_row(data: dict, *, kind: str, user_id: object) -> dict:
    """``data`` with every secret sealed for this owner and type (clear ones too)."""
    binding = _binding(kind, user_id)

    def bind(value):
        if value == REFUSED or _is_bound_to(value, binding):
            return value
        if isinstance(value, str) and value.startswith(PREFIX):
            if not value.startswith(f"{PREFIX}{UNSAVED}:"):
                return REFUSED  # sealed for another row: never re-sealed for this one
            value = open_secret(value)
        return seal_secret(str(value), binding=binding)

    data = dict(data)
    _each_secret(data, bind)
    return data


def open_for_row(data: dict, *, kind: str, user_id: object) -> dict:
    """The clear secrets of ``data`` (for the reverse migration)."""
    data = dict(data)
    binding = _binding(kind, user_id)
    _each_secret(data, lambda value: open_secret(value) if _is_bound_to(value, binding) else value)
    return data


class MFAAdapter(DefaultMFAAdapter):
    """allauth's MFA adapter with its secrets sealed (the rest is allauth's)."""

    def encrypt(self, text: str) -> str:
        return seal_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return open_secret(encrypted_text)


@receiver(pre_save, sender=Authenticator, dispatch_uid="members_mfa_seal_for_row")
def _seal_for_row(sender, instance: Authenticator, **kwargs) -> None:
    if isinstance(instance.data, dict):
        instance.data = seal_for_row(instance.data, kind=instance.type, user_id=instance.user_id)


@receiver(post_init, sender=Authenticator, dispatch_uid="members_mfa_refuse_foreign")
def _refuse_foreign_secrets(sender, instance: Authenticator, **kwargs) -> None:
    """A row read from the database opens only the secrets sealed for it."""
    if instance.pk is None or not isinstance(instance.__dict__.get("data"), dict):
        return
    binding = _binding(instance.type, instance.user_id)
    refused = []

    def keep(value):
        if _is_bound_to(value, binding) or value == REFUSED:
            return value
        refused.append(True)
        return REFUSED

    _each_secret(instance.data, keep)
    if refused:
        logger.warning("Second factor #%s holds a secret not sealed for it: refused.", instance.pk)


# --- Key rotation: these tokens live in a JSON column, so they are declared to it.


def _stored_secrets(data: object) -> list:
    if not isinstance(data, dict):
        return []
    values = [data[key] for key in SECRET_KEYS if key in data]
    for key in SECRET_LISTS:
        if isinstance(data.get(key), list):
            values.extend(data[key])
    return values


def mfa_key_usage() -> dict[str, int]:
    """Stored second-factor secrets per key id ("?" for anything not sealed)."""
    usage: Counter[str] = Counter()
    for data in Authenticator.objects.values_list("data", flat=True):
        for value in _stored_secrets(data):
            if value == REFUSED:
                continue
            try:
                usage[key_id_of(_split(value)[1])] += 1
            except DecryptionError:
                usage["?"] += 1
    return dict(usage)


def _reseal_row(data: dict, *, binding: str, prefix: str) -> tuple[dict, int, bool]:
    """``data`` with its secrets re-sealed under the primary key: (data, how many, all opened)."""
    counts = {"resealed": 0, "failed": 0}

    def reseal(value):
        if not _is_bound_to(value, binding) or _split(value)[1].startswith(prefix):
            return value
        try:
            text = open_secret(value)
        except DecryptionError:
            counts["failed"] += 1
            return value
        counts["resealed"] += 1
        return seal_secret(text, binding=binding)

    data = dict(data)
    _each_secret(data, reseal)
    return data, counts["resealed"], not counts["failed"]


def mfa_secrets_reseal() -> tuple[int, list[str]]:
    """Re-seal under the primary key every secret sealed for its row under another key."""
    prefix = keyring().primary_prefix
    resealed = 0
    failures: list[str] = []
    for pk in Authenticator.objects.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            row = (
                Authenticator.objects.select_for_update()
                .filter(pk=pk)
                .values_list("type", "user_id", "data")
                .first()
            )
            if row is None or not isinstance(row[2], dict):
                continue
            kind, user_id, data = row
            data, count, opened = _reseal_row(data, binding=_binding(kind, user_id), prefix=prefix)
            if not opened:
                failures.append(f"{TABLE}.{COLUMN} row {pk}: a secret cannot be opened")
            if count:
                Authenticator.objects.filter(pk=pk).update(data=data)
                resealed += count
    return resealed, failures


register_sealed_source(
    SealedSource(name="mfa.Authenticator.data", key_usage=mfa_key_usage, rotate=mfa_secrets_reseal)
)
