"""The key rotation status page reads a stored census (counting scans every encrypted
column: seconds to minutes at scale); the rotation command, a task and a button recount."""

import base64
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from members.models import Member
from privacy import roles
from privacy.keystore.models import DataKey
from privacy.rotation.models import KeyCensus
from privacy.rotation.selectors import key_census, key_count
from privacy.rotation.services import key_census_take
from tests.factories import DependantFactory, MemberFactory
from tests.testapp.models import Vault

pytestmark = pytest.mark.django_db(databases=["default", "keystore"])

URL = "/admin/privacy/keyrotationstatus/"
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture
def operator_client(client, staff_in_role):
    client.force_login(staff_in_role(roles.OPERATOR))
    return client


def test_the_census_counts_v1_values_per_master_key_v2_values_and_data_keys():
    Vault.objects.create(email="a@example.org", student_number="20240001")
    member = MemberFactory()
    DependantFactory(member=member)
    MemberFactory()
    primary = settings.PRIVACY_ENCRYPTION_KEYS.split(",")[0].split(":")[0]
    count = key_count()
    assert count.values_by_key[primary] >= 2  # the vault's two sealed columns
    assert count.data_keys_by_key == {primary: DataKey.objects.count()}
    assert DataKey.objects.count() == 2
    v2 = Member.objects.filter(first_name__isnull=False).count()
    assert count.values_under_data_keys >= v2 + 1  # each member's and the dependant's names
    # A key id wrapping a data key cannot be removed: it counts in the usage.
    assert count.usage()[primary] == count.values_by_key[primary] + 2


def test_the_page_shows_the_stored_census_with_its_date_and_does_not_count(operator_client):
    Vault.objects.create(email="a@example.org", student_number="20240001")
    census = key_census_take()
    Vault.objects.create(email="b@example.org", student_number="20240002")
    with CaptureQueriesContext(connection) as queries:
        page = operator_client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    # Read from the census: no scan of an encrypted table on the page.
    assert not [q for q in queries.captured_queries if "testapp_vault" in q["sql"]]
    assert "Compté le" in text
    assert not ISO.search(re.sub(r"<[^>]+>", "", text).split("Compté le")[1][:40])
    primary = settings.PRIVACY_ENCRYPTION_KEYS.split(",")[0].split(":")[0]
    assert f"<td>{census.values_by_key[primary]}</td>" in text.replace("\u202f", "")


def test_before_any_count_the_page_says_so(operator_client):
    KeyCensus.objects.all().delete()
    page = operator_client.get(URL)
    assert "pas encore été comptées" in page.content.decode()


def test_the_button_recounts_and_the_page_shows_the_new_count(operator_client):
    key_census_take()
    before = key_census()
    Vault.objects.create(email="a@example.org", student_number="20240001")
    response = operator_client.post(URL)
    assert response.status_code == 302  # CELERY_TASK_ALWAYS_EAGER in tests: counted at once
    after = key_census()
    assert KeyCensus.objects.count() == 1
    assert after.counted_at >= before.counted_at
    assert sum(after.values_by_key.values()) == sum(before.values_by_key.values()) + 2


def test_without_the_permission_no_recount(client, staff_in_role):
    client.force_login(staff_in_role(roles.MEMBER_SERVICES))
    assert client.post(URL).status_code == 403
    assert key_census() is None


def test_the_rotation_command_stores_the_census_and_count_only_just_counts():
    Vault.objects.create(email="a@example.org", student_number="20240001")
    out = StringIO()
    call_command("rotate_encryption_keys", "--count-only", stdout=out)
    assert key_census() is not None
    assert "clés de données" in out.getvalue()
    KeyCensus.objects.all().delete()
    new_key = base64.b64encode(bytes(range(100, 132))).decode()
    with override_settings(
        PRIVACY_ENCRYPTION_KEYS=f"new1:{new_key},{settings.PRIVACY_ENCRYPTION_KEYS}"
    ):
        call_command("rotate_encryption_keys", stdout=StringIO())
        census = key_census()
    assert census.values_by_key["new1"] >= 2
    assert census.data_keys_by_key == {} or set(census.data_keys_by_key) == {"new1"}


def test_the_dashboard_panel_reads_the_census_and_says_when_there_is_none(operator_client):
    KeyCensus.objects.all().delete()
    page = operator_client.get("/admin/").content.decode()
    assert "pas encore fait" in page
    key_census_take()
    page = operator_client.get("/admin/").content.decode()
    assert "Valeurs à rechiffrer" in page and "Compté le" in page
