"""Field encryption costs and key rotation throughput.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aseq_bench .venv/bin/python bench/crypto.py

Prints, per encrypted field type, the cost of sealing (``pre_save``) and
opening (attribute access) a value next to a bare ``AESGCM`` call on the same
bytes with the same associated data (the ratio is the overhead of our layer;
target under 2x), then the rotation throughput in rows per second for a row of
four encrypted fields (target at least 5,000 rows/s on PostgreSQL). Rotation
works on a throwaway table created and dropped by this script.

Then the cost per page of a member's values (``page_costs``): opening every
encrypted value one member's page shows (25 rows of 4 fields, 100 values) sealed
before the key store (v1, the master keyring) and after (v2, the member's data
key), with the data key already opened in the process (warm: every page but the
first of a worker) and not (cold: one key store read and one unwrap, then the
same). Creates the key store's table if needed (``migrate --database keystore``).
"""

from __future__ import annotations

import argparse
import base64
import datetime
import os
import sys
import time
import timeit
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aseq_portal.settings.test")
os.environ.setdefault("DJANGO_IGNORE_DOTENV", "true")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db import models as django_models  # noqa: E402
from django.test import override_settings  # noqa: E402

from privacy import fields as encrypted  # noqa: E402
from privacy.crypto import keyring  # noqa: E402
from privacy.fields import Sealed  # noqa: E402
from privacy.models import PrivateModel  # noqa: E402
from privacy.rotation.selectors import encryption_key_usage  # noqa: E402
from privacy.rotation.services import encryption_keys_rotate  # noqa: E402

KEY_A = "bencha:" + base64.b64encode(b"bench-only-key-a-000000000000001").decode()
KEY_B = "benchb:" + base64.b64encode(b"bench-only-key-b-000000000000002").decode()


class BenchRow(PrivateModel):
    """Four encrypted fields, as a member profile row would have."""

    email = encrypted.EncryptedEmailField("email", null=True)
    phone = encrypted.EncryptedPhoneField("phone", null=True)
    born_on = encrypted.EncryptedDateField("born on", null=True)
    address = encrypted.EncryptedTextField("address", null=True)

    class Meta:
        app_label = "privacy"
        db_table = "bench_crypto_row"

    def __str__(self) -> str:
        return str(self.id)


class BenchTypes(PrivateModel):
    text = encrypted.EncryptedTextField("text", null=True)
    char = encrypted.EncryptedCharField("char", max_length=50, null=True)
    email = encrypted.EncryptedEmailField("email", null=True)
    phone = encrypted.EncryptedPhoneField("phone", null=True)
    date = encrypted.EncryptedDateField("date", null=True)
    integer = encrypted.EncryptedIntegerField("integer", null=True)
    json = encrypted.EncryptedJSONField("json", null=True)
    binary = encrypted.EncryptedBinaryField("binary", null=True)

    class Meta:
        app_label = "privacy"
        managed = False
        db_table = "bench_crypto_types"

    def __str__(self) -> str:
        return str(self.id)


SAMPLES = {
    "text": "3455 rue Durocher, appartement 12, Montréal QC H2X 2E5",
    "char": "Tremblay-Côté",
    "email": "helene.tremblay@example.org",
    "phone": "+1 514 555-0123",
    "date": datetime.date(2001, 2, 3),
    "integer": 20240001,
    "json": {"allergies": ["arachides"], "actif": True, "niveau": 2},
    "binary": os.urandom(2048),
}


def best_of(statements: dict, number: int, repeat: int) -> dict[str, float]:
    """Microseconds per call, best of ``repeat`` runs, the statements interleaved.

    Interleaving keeps a busy machine from favouring one side of a ratio.
    """
    timings: dict[str, float] = {name: float("inf") for name in statements}
    for _ in range(repeat):
        for name, statement in statements.items():
            elapsed = timeit.timeit(statement, number=number) / number * 1e6
            timings[name] = min(timings[name], elapsed)
    return timings


def field_costs(number: int, repeat: int) -> None:
    ring = keyring()
    cipher = ring.ciphers[ring.primary_id]
    print(f"Per-value cost in microseconds (best of {repeat} x {number}, interleaved).")
    print("seal = pre_save (convert, seal, token); open = attribute access on a loaded row")
    print("(token, open, convert); bare = AESGCM.encrypt(os.urandom(12), ...) / .decrypt on")
    print("the same bytes and associated data with a pre-built cipher; conv = the type")
    print("conversion alone (str/date/int/JSON <-> bytes), included in seal/open.")
    print(
        f"{'field':<9} {'seal':>6} {'bare':>6} {'ratio':>6} {'conv':>5}"
        f"   {'open':>6} {'bare':>6} {'ratio':>6} {'conv':>5}"
    )
    instance = BenchTypes()
    for name, value in SAMPLES.items():
        field = BenchTypes._meta.get_field(name)
        setattr(instance, name, value)
        data = field.encode(value)
        aad = field.aad(instance.pk)
        token = field.pre_save(instance, False).token
        raw = base64.b64decode(token.split(":", 2)[2])
        nonce, body = raw[:12], raw[12:]
        attname = field.attname
        row_id = instance.pk

        def seal_field(field=field, instance=instance):
            field.pre_save(instance, False)

        def seal_bare(data=data, aad=aad):
            cipher.encrypt(os.urandom(12), data, aad)

        def encode(field=field, value=value):
            field.encode(value)

        def open_field(instance=instance, attname=attname, token=token, row_id=row_id):
            instance.__dict__[attname] = Sealed(token, row_id)
            getattr(instance, attname)

        def open_bare(nonce=nonce, body=body, aad=aad):
            cipher.decrypt(nonce, body, aad)

        def decode(field=field, data=data):
            field.decode(data)

        t = best_of(
            {
                "seal": seal_field,
                "seal_bare": seal_bare,
                "encode": encode,
                "open": open_field,
                "open_bare": open_bare,
                "decode": decode,
            },
            number,
            repeat,
        )
        print(
            f"{name:<9} {t['seal']:6.2f} {t['seal_bare']:6.2f} {t['seal'] / t['seal_bare']:5.2f}x"
            f" {t['encode']:5.2f}   {t['open']:6.2f} {t['open_bare']:6.2f}"
            f" {t['open'] / t['open_bare']:5.2f}x {t['decode']:5.2f}"
        )


class BenchPersonRow(PrivateModel):
    """Four encrypted fields of a row belonging to a person (sealed under their data key)."""

    data_key_owner = "person_id"

    person_id = django_models.UUIDField()
    email = encrypted.EncryptedEmailField("email", null=True)
    phone = encrypted.EncryptedPhoneField("phone", null=True)
    born_on = encrypted.EncryptedDateField("born on", null=True)
    address = encrypted.EncryptedTextField("address", null=True)

    class Meta:
        app_label = "privacy"
        managed = False
        db_table = "bench_crypto_person_row"

    def __str__(self) -> str:
        return str(self.id)


PAGE_ROWS = 25
PAGE_FIELDS = ("email", "phone", "born_on", "address")


def _page_tokens(person: uuid.UUID) -> list[tuple[uuid.UUID, dict[str, str]]]:
    """One member's page: PAGE_ROWS rows, each field's stored token (sealed as settings say)."""
    rows = []
    for n in range(PAGE_ROWS):
        row = BenchPersonRow(
            person_id=person,
            email=f"member{n}@example.org",
            phone=f"514 555-{n:04d}",
            born_on=datetime.date(2001, 2, 3),
            address=f"{n} rue Sherbrooke Ouest, Montréal QC H3A 0G4",
        )
        tokens = {}
        for name in PAGE_FIELDS:
            field = BenchPersonRow._meta.get_field(name)
            tokens[field.attname] = field.pre_save(row, True).token
        rows.append((row.pk, tokens))
    return rows


def _open_page(rows) -> None:
    for row_id, tokens in rows:
        instance = BenchPersonRow.__new__(BenchPersonRow)
        instance.__dict__.update({k: Sealed(t, row_id) for k, t in tokens.items()})
        instance.__dict__["id"] = row_id
        for name in PAGE_FIELDS:
            getattr(instance, name)


def page_costs(number: int, repeat: int) -> None:
    from django.core.management import call_command

    from privacy.keystore.api import keystore_cache_clear

    call_command("migrate", database="keystore", verbosity=0)
    print()
    print(
        f"Cost per page: opening one member's {PAGE_ROWS * len(PAGE_FIELDS)} values "
        f"({PAGE_ROWS} rows x {len(PAGE_FIELDS)} fields), microseconds, "
        f"best of {repeat} x {number}."
    )
    with override_settings(PRIVACY_DATA_KEYS=False):
        before = _page_tokens(uuid.uuid4())
    after = _page_tokens(uuid.uuid4())
    assert all(t.startswith("v1:") for _, ts in before for t in ts.values())
    assert all(t.startswith("v2:") for _, ts in after for t in ts.values())

    def cold() -> None:
        keystore_cache_clear()
        _open_page(after)

    t = best_of(
        {
            "v1": lambda: _open_page(before),
            "v2 warm": lambda: _open_page(after),
            "v2 cold": cold,
        },
        number,
        repeat,
    )
    print(f"before, v1 (master keyring):           {t['v1']:9.1f} us per page")
    print(
        f"after, v2 (data key opened, warm):     {t['v2 warm']:9.1f} us per page "
        f"({t['v2 warm'] / t['v1']:.2f}x)"
    )
    print(
        f"after, v2 (key store read + unwrap):   {t['v2 cold']:9.1f} us per page "
        f"({t['v2 cold'] / t['v1']:.2f}x; once per member per worker, then warm)"
    )


def rotation_throughput(rows: int, batch_size: int) -> None:
    print()
    print(f"Rotation on {connection.vendor} ({connection.settings_dict['NAME']}): {rows} rows")
    print("of 4 encrypted fields, sealed under key A, re-encrypted under key B.")
    with connection.schema_editor() as editor:
        editor.execute(f"DROP TABLE IF EXISTS {BenchRow._meta.db_table}")
        editor.create_model(BenchRow)
    try:
        with override_settings(PRIVACY_ENCRYPTION_KEYS=KEY_A):
            _fill(rows)
        with override_settings(PRIVACY_ENCRYPTION_KEYS=f"{KEY_B},{KEY_A}"):
            started = time.perf_counter()
            report = encryption_keys_rotate(batch_size=batch_size, models_to_rotate=[BenchRow])
            elapsed = time.perf_counter() - started
            usage = encryption_key_usage(models_to_scan=[BenchRow])
        assert usage == {"benchb": rows * 4, "bencha": 0}, usage
        assert report.rows == rows and report.values == rows * 4
        print(
            f"batch size {batch_size}: {report.rows} rows, {report.values} values in "
            f"{elapsed:.2f} s = {report.rows / elapsed:,.0f} rows/s, "
            f"{report.values / elapsed:,.0f} values/s"
        )
        with override_settings(PRIVACY_ENCRYPTION_KEYS=KEY_B):
            sample = BenchRow.objects.all()[:1].get()
            assert sample.email.endswith("@example.org")
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(BenchRow)


def _fill(rows: int) -> None:
    chunk = 5000
    for start in range(0, rows, chunk):
        BenchRow.objects.bulk_create(
            BenchRow(
                id=uuid.uuid4(),
                email=f"member{n}@example.org",
                phone=f"514 555-{n % 10000:04d}",
                born_on=datetime.date(2000, 1, 1) + datetime.timedelta(days=n % 3000),
                address=f"{n} rue Sherbrooke Ouest, Montréal QC H3A 0G4",
            )
            for n in range(start, min(rows, start + chunk))
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--number", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--page-number", type=int, default=50)
    parser.add_argument("--pages-only", action="store_true", help="skip the rotation run")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Note: DATABASE_URL is not PostgreSQL; the rotation target is for PostgreSQL.")
    parser_pages = args.page_number
    field_costs(args.number, args.repeat)
    page_costs(parser_pages, args.repeat)
    if not args.pages_only:
        rotation_throughput(args.rows, args.batch_size)


if __name__ == "__main__":
    main()
