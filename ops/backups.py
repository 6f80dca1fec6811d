"""Encrypted database backups: seal a dump under BACKUP_ENCRYPTION_KEY, open it to restore.

Used by ``ops/backup`` and ``ops/restore`` (``python -m ops.backups seal|open``);
imports nothing from Django, so it runs on a backup host with only ``cryptography``.

The dump is already field-encrypted (personal values are ciphertext under
PRIVACY_ENCRYPTION_KEYS, which never enter a backup); sealing the whole file as well
hides everything else (member numbers, blind indexes, structure) and makes any
alteration, truncation or reordering fail loudly on restore.

File format (version 1), streamed chunk by chunk so a multi-gigabyte dump never sits
in memory::

    header  = b"ASEQBKP" 0x01 | chunk size (uint32 BE) | key fingerprint (8) | salt (32)
    chunk i = AES-256-GCM(file key, nonce = i (uint88 BE) || last flag, plaintext chunk,
                          associated data = header)

The file key is HKDF-SHA256(BACKUP_ENCRYPTION_KEY, salt, "aseq-portal backup v1"): a fresh
key per file, so counter nonces never repeat under one key. Every chunk holds ``chunk
size`` plaintext bytes except the last, which is flagged (the STREAM construction): a
file cut at a chunk boundary, or with chunks appended, swapped or altered, does not open.
The fingerprint (first 8 bytes of SHA-256 of the key) only says which key sealed the file.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import os
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"ASEQBKP\x01"
KEY_BYTES = 32
SALT_BYTES = 32
FINGERPRINT_BYTES = 8
TAG_BYTES = 16
DEFAULT_CHUNK_SIZE = 1024 * 1024
MAX_CHUNK_SIZE = 64 * 1024 * 1024
_HEADER = struct.Struct(f">{len(MAGIC)}sI{FINGERPRINT_BYTES}s{SALT_BYTES}s")
HEADER_BYTES = _HEADER.size
KEY_ENV = "BACKUP_ENCRYPTION_KEY"


class BackupError(Exception):
    """A backup cannot be sealed or opened. The message never holds key material."""


def backup_key_parse(raw: str | None) -> bytes:
    """The 32-byte key from its base64 text (BACKUP_ENCRYPTION_KEY)."""
    if not raw or not raw.strip():
        raise BackupError(f"{KEY_ENV} is not set")
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise BackupError(f"{KEY_ENV} is not valid base64") from None
    if len(key) != KEY_BYTES:
        raise BackupError(f"{KEY_ENV} is {len(key)} bytes, expected {KEY_BYTES}")
    return key


def backup_key_fingerprint(key: bytes) -> str:
    """Which key sealed a backup (hex), safe to print: it reveals nothing of the key."""
    return hashlib.sha256(key).digest()[:FINGERPRINT_BYTES].hex()


def _file_cipher(key: bytes, salt: bytes) -> AESGCM:
    hkdf = HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=b"aseq-portal backup v1"
    )
    return AESGCM(hkdf.derive(key))


def _nonce(index: int, *, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _blocks(stream: BinaryIO, size: int) -> Iterator[tuple[bytes, bool]]:
    """Blocks of exactly ``size`` bytes (the last may be shorter or empty), each with
    whether it is the last one; reads one block ahead, never more."""
    current = _read_exactly(stream, size)
    while True:
        following = _read_exactly(stream, size) if len(current) == size else b""
        last = not following
        yield current, last
        if last:
            return
        current = following


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes, short only at the end of the stream (pipes return less)."""
    parts = []
    wanted = size
    while wanted:
        part = stream.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def backup_seal_stream(
    *, source: BinaryIO, destination: BinaryIO, key: bytes, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> None:
    """Encrypt ``source`` into ``destination``, chunk by chunk."""
    if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise BackupError(f"chunk size must be between 1 and {MAX_CHUNK_SIZE} bytes")
    salt = os.urandom(SALT_BYTES)
    header = _HEADER.pack(MAGIC, chunk_size, bytes.fromhex(backup_key_fingerprint(key)), salt)
    cipher = _file_cipher(key, salt)
    destination.write(header)
    for index, (block, last) in enumerate(_blocks(source, chunk_size)):
        destination.write(cipher.encrypt(_nonce(index, last=last), block, header))


def backup_open_stream(*, source: BinaryIO, destination: BinaryIO, key: bytes) -> None:
    """Decrypt ``source`` into ``destination``; raise BackupError on any alteration.

    Each chunk is authenticated before it is written, but a truncated file is only
    known at its end: write to a temporary file and keep it only if this returns.
    """
    header = _read_exactly(source, HEADER_BYTES)
    if len(header) != HEADER_BYTES or not header.startswith(MAGIC[:-1]):
        raise BackupError("this file is not an aseq-portal backup")
    magic, chunk_size, fingerprint, salt = _HEADER.unpack(header)
    if magic != MAGIC:
        raise BackupError(f"unknown backup format version {magic[-1]}")
    if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise BackupError("the backup header is corrupt (chunk size)")
    if fingerprint.hex() != backup_key_fingerprint(key):
        raise BackupError(
            f"this backup was sealed with another key (fingerprint {fingerprint.hex()}); "
            f"{KEY_ENV} has fingerprint {backup_key_fingerprint(key)}"
        )
    cipher = _file_cipher(key, salt)
    for index, (block, last) in enumerate(_blocks(source, chunk_size + TAG_BYTES)):
        try:
            destination.write(cipher.decrypt(_nonce(index, last=last), block, header))
        except InvalidTag:
            where = (
                "it was altered, cut short or extended" if last else "it was altered or reordered"
            )
            raise BackupError(
                f"the backup fails authentication at chunk {index}: {where}; "
                "do not restore it, take the previous backup"
            ) from None


def _atomic(path: Path, work, source: BinaryIO, key: bytes) -> None:
    """Run ``work`` into a temporary file next to ``path``, renamed only on success."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            work(source=source, destination=handle, key=key)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _run(work, source: str | Path, destination: str | Path, key: bytes) -> None:
    if str(source) == "-":
        _atomic(Path(destination), work, sys.stdin.buffer, key)
        return
    try:
        handle = open(source, "rb")  # noqa: SIM115 - closed below
    except OSError as error:
        raise BackupError(f"cannot read {source}: {error.strerror}") from None
    with handle:
        _atomic(Path(destination), work, handle, key)


def backup_seal(*, source: str | Path, destination: str | Path, key: bytes) -> None:
    """Seal the file ``source`` ("-": standard input) into ``destination`` (mode 0600)."""
    _run(backup_seal_stream, source, destination, key)


def backup_open(*, source: str | Path, destination: str | Path, key: bytes) -> None:
    """Open the sealed ``source`` into ``destination``; nothing is left there on failure."""
    _run(backup_open_stream, source, destination, key)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ops.backups",
        description=f"Seal or open a database backup with {KEY_ENV} (base64, 32 bytes).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("seal", "encrypt SOURCE (- for stdin)"), ("open", "decrypt SOURCE")):
        command = commands.add_parser(name, help=text)
        command.add_argument("source")
        command.add_argument("destination")
    commands.add_parser("generate-key", help="print a fresh random key")
    commands.add_parser("fingerprint", help=f"print the fingerprint of {KEY_ENV}")
    args = parser.parse_args(argv)
    try:
        if args.command == "generate-key":
            print(base64.b64encode(os.urandom(KEY_BYTES)).decode("ascii"))
            return 0
        key = backup_key_parse(os.environ.get(KEY_ENV))
        if args.command == "fingerprint":
            print(backup_key_fingerprint(key))
        elif args.command == "seal":
            backup_seal(source=args.source, destination=args.destination, key=key)
        else:
            backup_open(source=args.source, destination=args.destination, key=key)
    except BackupError as error:
        print(f"backup error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
