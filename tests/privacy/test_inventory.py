"""The privacy officer reads the data map inventory in admin; nobody else does."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission

from privacy.datamap import registry as datamap
from privacy.datamap.registry import Action, Category, PersonalField, Purpose, Retention, declare
from tests.factories import StaffFactory, staff_admin_ready
from tests.testapp.models import Vault

pytestmark = pytest.mark.django_db

URL = "/admin/privacy/datamapinventory/"


def staff_client(client, *, allowed: bool):
    staff = StaffFactory()
    staff_admin_ready(staff)  # MFA and the current staff documents accepted
    if allowed:
        staff.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="privacy", codename="view_datamapinventory"
            )
        )
    client.force_login(staff)
    return client


@pytest.fixture
def vault_declared():
    declare(
        Vault,
        subject=None,
        description="Coffre de test",
        personal=[
            PersonalField("email", Category.CONTACT, (Purpose.IDENTIFY_AND_COMMUNICATE,)),
            PersonalField("born_on", Category.IDENTITY, (Purpose.ENROLMENT, Purpose.LEGAL)),
        ],
        retention=Retention(
            starts_from="created_at", keep_for=timedelta(days=7 * 365), action=Action.DELETE
        ),
    )
    yield
    datamap._registry.pop("testapp.Vault", None)


def test_inventory_lists_each_field_with_category_purposes_encryption_and_retention(
    client, vault_declared
):
    response = staff_client(client, allowed=True).get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "testapp.Vault" in content
    assert "Coffre de test" in content
    assert "Coordonnées" in content
    assert "Inscription ou retrait" in content
    assert "Usages prescrits par la loi" in content
    assert "7 ans" in content
    assert "created_at" in content
    section = content.split("testapp.Vault")[1]
    assert "Chiffré" in section


def test_clear_text_personal_fields_show_their_documented_reason(client):
    content = staff_client(client, allowed=True).get(URL).content.decode()
    assert "members.User" in content
    assert "En clair" in content
    assert "l’authentification doit le retrouver" in content


def test_inventory_is_in_the_page_language(client, vault_declared):
    response = staff_client(client, allowed=True).get(URL, headers={"accept-language": "en"})
    content = response.content.decode()
    assert "Contact details" in content
    assert "Uses required by law" in content
    assert "7 years" in content
    assert "Encrypted" in content
    assert "Coordonnées" not in content


def test_staff_without_the_permission_cannot_read_the_inventory(client):
    response = staff_client(client, allowed=False).get(URL)
    assert response.status_code == 403


def test_the_inventory_is_read_only(client):
    allowed = staff_client(client, allowed=True)
    assert allowed.get(URL + "add/").status_code == 404
    assert allowed.get(URL + "1/change/").status_code == 404
    index = allowed.get("/admin/").content.decode()
    assert URL in index
    assert URL + "add/" not in index


def test_every_declaration_appears_in_the_inventory():
    labels = {entry.label for entry in datamap.datamap_inventory()}
    assert {d.label for d in datamap.declarations()} == labels
    assert "privacy.DataMapInventory" in labels
