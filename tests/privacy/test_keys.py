"""Keys come from the environment; missing or weak keys stop the portal."""

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from privacy import crypto
from privacy.checks import encryption_keys_check
from privacy.kernel.keys import local_keys, parse_encryption_keys

ROOT = Path(__file__).resolve().parents[2]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


KEY_A = b64(b"A" * 32)
KEY_B = b64(b"B" * 32)
INDEX_KEY = b64(b"I" * 32)


def check_ids(settings, keys, index_key) -> list[str]:
    settings.PRIVACY_ENCRYPTION_KEYS = keys
    settings.PRIVACY_BLIND_INDEX_KEY = index_key
    return [error.id for error in encryption_keys_check()]


def test_valid_keys_pass_the_system_check(settings):
    assert check_ids(settings, f"a:{KEY_A},b:{KEY_B}", INDEX_KEY) == []


def test_missing_encryption_keys_fail_the_system_check(settings):
    assert check_ids(settings, "", INDEX_KEY) == ["privacy.E001"]
    assert check_ids(settings, "   ", INDEX_KEY) == ["privacy.E001"]


def test_missing_blind_index_key_fails_the_system_check(settings):
    assert check_ids(settings, f"a:{KEY_A}", "") == ["privacy.E004"]


@pytest.mark.parametrize(
    "keys",
    [
        KEY_A,  # no key id
        f"a:{KEY_A},",  # empty entry
        "a:not base64!",
        "bad id:" + KEY_A,
        "a:b:c",
        f"a:{KEY_A},a:{KEY_B}",  # duplicate id
    ],
)
def test_malformed_encryption_keys_fail_the_system_check(settings, keys):
    assert check_ids(settings, keys, INDEX_KEY) == ["privacy.E002"]


@pytest.mark.parametrize("length", [16, 31, 33, 64])
def test_encryption_keys_must_be_exactly_32_bytes(settings, length):
    assert check_ids(settings, f"a:{b64(b'k' * length)}", INDEX_KEY) == ["privacy.E003"]


def test_malformed_or_short_blind_index_key_fails_the_system_check(settings):
    assert check_ids(settings, f"a:{KEY_A}", "%%%") == ["privacy.E005"]
    assert check_ids(settings, f"a:{KEY_A}", b64(b"i" * 31)) == ["privacy.E006"]


def test_blind_index_key_must_differ_from_every_encryption_key(settings):
    assert check_ids(settings, f"a:{KEY_A},b:{KEY_B}", KEY_B) == ["privacy.E007"]


def previous_key_check_ids(settings, previous_key) -> list[str]:
    settings.PRIVACY_BLIND_INDEX_PREVIOUS_KEY = previous_key
    return check_ids(settings, f"a:{KEY_A},b:{KEY_B}", INDEX_KEY)


def test_a_previous_blind_index_key_is_optional_and_checked_like_the_current_one(settings):
    assert previous_key_check_ids(settings, "") == []
    assert previous_key_check_ids(settings, b64(b"P" * 32)) == []
    assert previous_key_check_ids(settings, "%%%") == ["privacy.E005"]
    assert previous_key_check_ids(settings, b64(b"p" * 31)) == ["privacy.E006"]


def test_a_previous_blind_index_key_must_differ_from_the_current_and_encryption_keys(settings):
    assert previous_key_check_ids(settings, INDEX_KEY) == ["privacy.E008"]
    assert previous_key_check_ids(settings, KEY_A) == ["privacy.E007"]
    messages = [error.msg for error in encryption_keys_check()]
    assert messages == ["PRIVACY_BLIND_INDEX_PREVIOUS_KEY must differ from every encryption key"]
    settings.PRIVACY_BLIND_INDEX_PREVIOUS_KEY = "%%%"
    assert [error.msg for error in encryption_keys_check()] == [
        "PRIVACY_BLIND_INDEX_PREVIOUS_KEY is not valid base64"
    ]


def test_a_malformed_previous_blind_index_key_is_a_configuration_error_at_lookup(settings):
    settings.PRIVACY_BLIND_INDEX_PREVIOUS_KEY = "%%%"
    with pytest.raises(ImproperlyConfigured, match="PRIVACY_BLIND_INDEX_PREVIOUS_KEY"):
        crypto.blind_index_digests("x", normaliser="text")


def test_url_safe_base64_keys_are_accepted():
    key = bytes(range(200, 232))
    urlsafe = base64.urlsafe_b64encode(key).decode().rstrip("=")
    assert parse_encryption_keys(f"k:{urlsafe}")[0].key == key


def test_check_messages_never_contain_key_material(settings):
    settings.PRIVACY_ENCRYPTION_KEYS = f"a:{b64(b'k' * 16)},a:{KEY_A}"
    settings.PRIVACY_BLIND_INDEX_KEY = KEY_A
    errors = encryption_keys_check()
    assert errors
    for error in errors:
        assert KEY_A not in f"{error.msg} {error.hint}"
        assert b64(b"k" * 16) not in f"{error.msg} {error.hint}"
    assert KEY_A not in repr(parse_encryption_keys(f"a:{KEY_A}"))


def test_using_encryption_without_keys_is_a_configuration_error(settings):
    settings.PRIVACY_ENCRYPTION_KEYS = ""
    with pytest.raises(ImproperlyConfigured, match="PRIVACY_ENCRYPTION_KEYS"):
        crypto.seal(b"x", aad=b"t")
    settings.PRIVACY_ENCRYPTION_KEYS = f"a:{KEY_A}"
    settings.PRIVACY_BLIND_INDEX_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="PRIVACY_BLIND_INDEX_KEY"):
        crypto.blind_index("x", normaliser="text")


def test_production_settings_refuse_to_run_without_keys():
    """`migrate` (run before gunicorn) and `check` stop on the key check."""
    from tests.aseq_portal.test_deployment import env_example, run_manage

    environment = {**env_example(), "PRIVACY_ENCRYPTION_KEYS": "", "PRIVACY_BLIND_INDEX_KEY": ""}
    result = run_manage(["check"], environment)
    assert result.returncode != 0
    assert "privacy.E001" in result.stderr
    assert "privacy.E004" in result.stderr
    assert "PRIVACY_ENCRYPTION_KEYS" in result.stderr


def test_local_keys_are_generated_once_then_reused(tmp_path):
    path = tmp_path / "var" / "local-keys.env"
    first = local_keys(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert local_keys(path) == first
    from privacy.kernel.keys import key_problems

    assert key_problems(first["PRIVACY_ENCRYPTION_KEYS"], first["PRIVACY_BLIND_INDEX_KEY"]) == []
    assert local_keys(tmp_path / "other.env") != first


def test_local_keys_live_in_a_git_ignored_folder():
    assert "/var/" in (ROOT / ".gitignore").read_text().splitlines()
    result = subprocess.run(
        [sys.executable, "-c", "from aseq_portal.settings import local; print(local.VAR_DIR)"],
        cwd=ROOT,
        env={**os.environ, "PRIVACY_ENCRYPTION_KEYS": "", "DJANGO_IGNORE_DOTENV": "true"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert Path(result.stdout.strip()) == ROOT / "var"
    assert (ROOT / "var" / "local-keys.env").is_file()


def test_the_local_anchor_key_is_generated_once_kept_and_refused_when_missing(tmp_path):
    """The embedded demo signs its audit anchors with a key made on first run, then kept."""
    from privacy.kernel.keys import KeyConfigError, local_anchor_key

    path = tmp_path / "var" / "audit-anchor-key.env"
    first = local_anchor_key(path)
    assert len(base64.b64decode(first, validate=True)) == 32
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert local_anchor_key(path) == first
    assert local_anchor_key(tmp_path / "other.env") != first
    # The file says what it is and holds the key under its setting's name.
    lines = path.read_text().splitlines()
    assert lines[:2] == [
        "# Generated on first run for local development only: signs the audit log's",
        "# anchors (privacy/audit/anchors.py). Never commit, never use in production.",
    ]
    assert f"AUDIT_ANCHOR_SIGNING_KEY={first}" in lines

    # A hand-edited file: spaces around the name and value do not matter.
    edited = tmp_path / "edited.env"
    edited.write_text(f"# mine\n OTHER=1\n AUDIT_ANCHOR_SIGNING_KEY = {first} \n")
    assert local_anchor_key(edited) == first
    # One without the key is refused, naming the file, never a key.
    empty = tmp_path / "empty.env"
    empty.write_text("# nothing here\nOTHER=1\n")
    with pytest.raises(KeyConfigError) as refused:
        local_anchor_key(empty)
    assert str(refused.value) == "empty.env holds no AUDIT_ANCHOR_SIGNING_KEY"
    assert refused.value.check_id == "privacy.E040"
