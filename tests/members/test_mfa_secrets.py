"""Second factors' secrets are sealed with the field encryption, bound to their row."""

import json
from importlib import import_module

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from members.mfa import REFUSED
from privacy.crypto import DecryptionError
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def raw_data(authenticator: Authenticator) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        value = cursor.fetchone()[0]
    return value if isinstance(value, str) else json.dumps(value)


def set_raw_data(authenticator: Authenticator, data: str) -> None:
    with connection.cursor() as cursor:
        cast = "::jsonb" if connection.vendor == "postgresql" else ""
        cursor.execute(
            f"UPDATE mfa_authenticator SET data = %s{cast} WHERE id = %s",  # noqa: S608
            [data, authenticator.pk],
        )


def code_for(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_the_totp_secret_and_the_recovery_seed_are_not_stored_in_clear(monkeypatch):
    user = StaffFactory()
    secret, seed = generate_totp_secret(), "cd" * 40
    monkeypatch.setattr(RecoveryCodes, "generate_seed", classmethod(lambda cls: seed))
    totp = TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user)
    raw = raw_data(totp.instance) + raw_data(codes.instance)
    assert secret not in raw
    assert seed not in raw
    assert "mfa1:totp:" in raw and "mfa1:recovery_codes:" in raw
    # Read back from the database, both still work.
    stored_totp = Authenticator.objects.get(pk=totp.instance.pk)
    assert stored_totp.wrap().validate_code(code_for(secret))
    stored_codes = Authenticator.objects.get(pk=codes.instance.pk).wrap()
    unused = stored_codes.get_unused_codes()
    assert stored_codes.validate_code(unused[0])
    assert (
        unused[0] not in Authenticator.objects.get(pk=codes.instance.pk).wrap().get_unused_codes()
    )


def test_an_insiders_own_secret_copied_into_a_staff_members_row_does_not_open():
    victim, insider = StaffFactory(), StaffFactory()
    TOTP.activate(victim, generate_totp_secret())
    insider_secret = generate_totp_secret()
    TOTP.activate(insider, insider_secret)
    victim_row = Authenticator.objects.get(user=victim)
    insider_row = Authenticator.objects.get(user=insider)
    set_raw_data(victim_row, raw_data(insider_row))
    loaded = Authenticator.objects.get(pk=victim_row.pk)
    assert loaded.data["secret"] == REFUSED
    with pytest.raises(DecryptionError):
        loaded.wrap().validate_code(code_for(insider_secret))
    # The insider's own factor still opens in its own row.
    assert (
        Authenticator.objects.get(pk=insider_row.pk).wrap().validate_code(code_for(insider_secret))
    )


def test_a_secret_planted_in_clear_is_refused():
    user = StaffFactory()
    TOTP.activate(user, generate_totp_secret())
    row = Authenticator.objects.get(user=user)
    planted = generate_totp_secret()
    set_raw_data(row, json.dumps({"secret": planted}))
    with pytest.raises(DecryptionError):
        Authenticator.objects.get(pk=row.pk).wrap().validate_code(code_for(planted))


def test_the_migration_seals_secrets_stored_in_clear_and_can_run_again():
    user = StaffFactory()
    totp = TOTP.activate(user, generate_totp_secret())
    codes = RecoveryCodes.activate(user)
    secret, seed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "ab" * 40
    # As allauth's default adapter left them: in clear.
    set_raw_data(totp.instance, json.dumps({"secret": secret}))
    set_raw_data(codes.instance, json.dumps({"seed": seed, "used_mask": 0}))
    in_clear = RecoveryCodes(
        Authenticator(user=user, type="recovery_codes", data={"seed": seed, "used_mask": 0})
    )
    with pytest.MonkeyPatch.context() as clear_adapter:
        clear_adapter.setattr("members.mfa.MFAAdapter.decrypt", lambda self, text: text)
        expected_codes = in_clear.generate_codes()
    migration = import_module("members.migrations.0010_mfa_secrets_sealed")
    state = MigrationExecutor(connection).loader.project_state(
        ("members", "0010_mfa_secrets_sealed")
    )
    migration.seal_existing(state.apps, None)
    sealed = raw_data(totp.instance) + raw_data(codes.instance)
    assert secret not in sealed and seed not in sealed
    migration.seal_existing(state.apps, None)
    assert raw_data(totp.instance) + raw_data(codes.instance) == sealed
    assert Authenticator.objects.get(pk=totp.instance.pk).wrap().validate_code(code_for(secret))
    reopened = Authenticator.objects.get(pk=codes.instance.pk).wrap()
    assert reopened.generate_codes() == expected_codes
    migration.open_existing(state.apps, None)
    assert json.loads(raw_data(totp.instance))["secret"] == secret


def test_key_rotation_reseals_the_secrets_and_then_the_old_key_can_go(settings):
    import base64

    from django.core.management import call_command

    from privacy.rotation.selectors import encryption_key_usage

    key_a = "a:" + base64.b64encode(b"mfa-rotation-test-key-a-00000001").decode()
    key_b = "b:" + base64.b64encode(b"mfa-rotation-test-key-b-00000002").decode()
    settings.PRIVACY_ENCRYPTION_KEYS = key_a
    user = StaffFactory()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    settings.PRIVACY_ENCRYPTION_KEYS = f"{key_b},{key_a}"
    assert encryption_key_usage()["a"] >= 2
    call_command("rotate_encryption_keys")
    assert encryption_key_usage()["a"] == 0
    settings.PRIVACY_ENCRYPTION_KEYS = key_b
    assert Authenticator.objects.get(user=user, type="totp").wrap().validate_code(code_for(secret))
    assert Authenticator.objects.get(user=user, type="recovery_codes").wrap().generate_codes()
