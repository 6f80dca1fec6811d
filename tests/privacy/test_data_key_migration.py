"""manage.py migrate_to_data_keys: stored v1 values move under their person's data key (v2).

Interrupted at any point and run again, it ends with every value readable and
under its own person's key, and prints the count per token version.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from coverage.models import Claim
from members.models import Dependant, Member
from privacy.fields import is_encrypted
from privacy.kernel.envelope import data_key_ref_of
from privacy.keystore.models import DataKey
from privacy.rotation.data_keys import data_keys_migrate, token_version_counts
from tests.factories import DependantFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


class Interrupted(Exception):
    pass


def households(count: int = 4) -> dict:
    """Members and dependants sealed the old way (v1), with their values in clear."""
    expected = {}
    with override_settings(PRIVACY_DATA_KEYS=False):
        for _ in range(count):
            record = MemberFactory()
            child = DependantFactory(member=record)
            expected[(Member, record.pk)] = (record.pk, record.first_name, record.date_of_birth)
            expected[(Dependant, child.pk)] = (record.pk, child.first_name, child.date_of_birth)
    return expected


def assert_all_under_their_persons_key(expected: dict) -> None:
    for (model, pk), (person, first_name, date_of_birth) in expected.items():
        row = model.objects.get(pk=pk)
        assert (row.first_name, row.date_of_birth) == (first_name, date_of_birth)
        stored = model.objects.filter(pk=pk).values_list(
            *[f.attname for f in model._meta.concrete_fields if is_encrypted(f)]
        )
        for sealed in stored.get():
            if sealed is None:
                continue
            key = DataKey.objects.get(pk=data_key_ref_of(sealed.token))
            assert key.person == person


def test_the_old_values_are_v1_and_read_before_the_migration():
    expected = households()
    counts = token_version_counts()
    assert counts["v1"] > 0 and counts["v2"] == 0
    assert Member.objects.get(pk=next(iter(expected))[1]).first_name


def test_interrupted_after_any_batch_then_run_again_every_value_is_under_its_persons_key():
    expected = households(5)
    total_v1 = token_version_counts()["v1"]
    # Stopped after one batch, then after a failure between batches (a kill).
    data_keys_migrate(batch_size=2, max_batches=1)
    partial = token_version_counts()
    assert 0 < partial["v2"] < total_v1 and partial["v1"] + partial["v2"] == total_v1

    def killed(step):
        if step.batch == 2:
            raise Interrupted

    with pytest.raises(Interrupted):
        data_keys_migrate(batch_size=2, progress=killed)
    # Both versions read in the middle of the migration.
    for (model, pk), (_person, first_name, _dob) in expected.items():
        assert model.objects.get(pk=pk).first_name == first_name

    report = data_keys_migrate(batch_size=2)
    assert report.versions == {"v1": 0, "v2": total_v1, "other": 0}
    assert_all_under_their_persons_key(expected)
    # Run again: nothing left to do.
    assert data_keys_migrate(batch_size=2).values == 0


def test_the_command_prints_the_count_per_token_version_and_says_when_v1_remains():
    households(3)
    total = token_version_counts()["v1"]
    out = StringIO()
    call_command("migrate_to_data_keys", "--batch-size", "2", "--language", "en", stdout=out)
    text = out.getvalue()
    assert f"v2: {total}" in text and "v1: 0" in text
    assert Claim.objects.count() == 0
    with pytest.raises(CommandError):
        call_command("migrate_to_data_keys", "--batch-size", "0", stdout=StringIO())
