"""The registers kept by the privacy officer: disclosures recorded in admin under the
contract rule, and every register exported as CSV for the regulator, formula-safe."""

import csv
import io
from datetime import date

import pytest

from privacy import roles
from privacy.adminkit.csv_export import csv_cell
from privacy.datamap.registry import Category
from privacy.models import AuditEntry, Disclosure, Processor

pytestmark = pytest.mark.django_db

HOSTILE_NAME = "=cmd|' /C calc'!A0"


def processor(**fields) -> Processor:
    defaults = {
        "name": "Courriel inc.",
        "kind": Processor.Kind.PROCESSOR,
        "purpose": "Acheminer les courriels",
        "categories": [Category.CONTACT.value],
        "contract_on_file": True,
        "contract_date": date(2026, 1, 15),
    }
    return Processor.objects.create(**{**defaults, **fields})


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_would_run_is_shown_as_text(start):
    assert csv_cell(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


@pytest.mark.parametrize("value", ["Nguyen", "O'Neil", "1-800", "", "a=b"])
def test_ordinary_cells_are_unchanged(value):
    assert csv_cell(value) == value


def test_the_processor_register_exports_with_labels_and_no_formula(client, staff_in_role):
    officer = staff_in_role(roles.PRIVACY_OFFICER)
    processor(name=HOSTILE_NAME)
    processor(name="Assureur", kind=Processor.Kind.THIRD_PARTY, is_active=False)
    client.force_login(officer)
    with_link = client.get("/admin/privacy/processor/").content.decode()
    assert "/admin/privacy/processor/export.csv" in with_link

    response = client.get("/admin/privacy/processor/export.csv?is_active__exact=1")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = read_csv(response)
    assert header[0] == "nom"
    assert len(rows) == 1  # the filter of the list applies
    assert rows[0][0] == "'" + HOSTILE_NAME
    assert rows[0][1].startswith("Sous-traitant")  # the label, not "processor"
    assert rows[0][3] == "Coordonnées"
    assert rows[0][4] == "Oui"
    entry = AuditEntry.objects.get(action="admin.export")
    assert entry.object_type == "privacy.Processor"
    assert entry.actor_id == str(officer.pk)
    assert entry.metadata == {"rows": 1}


def test_member_services_cannot_export_a_register(client, staff_in_role):
    client.force_login(staff_in_role(roles.MEMBER_SERVICES))
    assert client.get("/admin/privacy/processor/export.csv").status_code == 403
    assert not AuditEntry.objects.filter(action="admin.export").exists()


def test_the_privacy_officer_records_a_disclosure_under_contract(client, staff_in_role, member):
    recipient = processor()
    officer = staff_in_role(roles.PRIVACY_OFFICER)
    client.force_login(officer)
    response = client.post(
        "/admin/privacy/disclosure/add/",
        {
            "recipient": recipient.pk,
            "subject": member.pk,
            "categories": [Category.CONTACT.value],
            "legal_basis": Disclosure.LegalBasis.PROCESSOR_MANDATE,
            "disclosed_at_0": "2026-12-01",
            "disclosed_at_1": "10:00",
        },
    )
    assert response.status_code == 302
    disclosure = Disclosure.objects.get()
    assert disclosure.subject == member
    assert AuditEntry.objects.filter(action="disclosure.record", actor_id=str(officer.pk)).exists()


def test_a_disclosure_the_policy_refuses_is_explained_and_not_recorded(
    client, staff_in_role, member
):
    recipient = processor(contract_on_file=False, contract_date=None)
    client.force_login(staff_in_role(roles.PRIVACY_OFFICER))
    response = client.post(
        "/admin/privacy/disclosure/add/",
        {
            "recipient": recipient.pk,
            "subject": member.pk,
            "categories": [Category.CONTACT.value],
            "legal_basis": Disclosure.LegalBasis.PROCESSOR_MANDATE,
            "disclosed_at_0": "2026-12-01",
            "disclosed_at_1": "10:00",
        },
    )
    assert response.status_code == 200
    assert "aucun contrat n’est au dossier" in response.content.decode()
    assert not Disclosure.objects.exists()
