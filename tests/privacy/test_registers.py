"""Registers: disclosures only under contract (P19, P20), incidents (Law 25 s. 3.8),
and the published person in charge (s. 3.1)."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from privacy import roles
from privacy.datamap.registry import Category
from privacy.models import (
    AuditEntry,
    ConfidentialityIncident,
    Disclosure,
    PersonInCharge,
    Processor,
)
from privacy.registers.selectors import disclosures_about, person_in_charge
from privacy.registers.services import (
    DEMO_EMAIL_PROVIDER,
    DisclosureRefused,
    demo_processors_seed,
    disclosure_record,
)

pytestmark = pytest.mark.django_db


def processor(**fields) -> Processor:
    defaults = {
        "name": "Courriel inc.",
        "kind": Processor.Kind.PROCESSOR,
        "purpose": "Acheminer les courriels",
        "categories": [Category.CONTACT.value, Category.CORRESPONDENCE.value],
        "contract_on_file": True,
        "contract_date": date(2026, 1, 15),
    }
    return Processor.objects.create(**{**defaults, **fields})


def test_a_disclosure_to_a_processor_without_a_contract_is_refused(member):
    uncontracted = processor(contract_on_file=False, contract_date=None)
    with pytest.raises(DisclosureRefused, match="aucun contrat"):
        disclosure_record(
            recipient=uncontracted,
            subject=member,
            categories=[Category.CONTACT],
            legal_basis=Disclosure.LegalBasis.PROCESSOR_MANDATE,
        )
    assert not Disclosure.objects.exists()
    assert not AuditEntry.objects.filter(action="disclosure.record").exists()


def test_the_refusal_is_explained_in_the_page_language(member):
    uncontracted = processor(contract_on_file=False, contract_date=None)
    with translation.override("en"), pytest.raises(DisclosureRefused, match="no contract"):
        disclosure_record(
            recipient=uncontracted,
            subject=member,
            categories=[Category.CONTACT],
            legal_basis=Disclosure.LegalBasis.CONSENT,
        )


def test_a_disclosure_under_contract_is_logged_and_listed_for_the_member(member, other_member):
    email = processor()
    disclosure = disclosure_record(
        recipient=email,
        subject=member,
        categories=[Category.CONTACT],
        legal_basis=Disclosure.LegalBasis.PROCESSOR_MANDATE,
    )
    entry = AuditEntry.objects.get(action="disclosure.record")
    assert (entry.object_type, entry.object_id) == ("privacy.Disclosure", str(disclosure.pk))
    assert entry.subject_id == str(member.pk)

    (listed,) = disclosures_about(user=member)
    assert listed["recipient"] == "Courriel inc."
    assert listed["categories"] == ["contact"]
    assert listed["legal_basis"] == "processor_mandate"
    assert disclosures_about(user=other_member) == []


def test_a_third_party_without_contract_gets_data_only_when_the_law_requires_it(member):
    authority = processor(
        name="Autorité",
        kind=Processor.Kind.THIRD_PARTY,
        contract_on_file=False,
        contract_date=None,
        categories=[Category.IDENTITY.value],
    )
    with pytest.raises(DisclosureRefused):
        disclosure_record(
            recipient=authority,
            subject=member,
            categories=[Category.IDENTITY],
            legal_basis=Disclosure.LegalBasis.CONSENT,
        )
    disclosure_record(
        recipient=authority,
        subject=member,
        categories=[Category.IDENTITY],
        legal_basis=Disclosure.LegalBasis.REQUIRED_BY_LAW,
    )
    assert Disclosure.objects.count() == 1


@pytest.mark.parametrize(
    ("categories", "message"),
    [([Category.LOCATION], "localisation"), ([Category.HEALTH], "non prévues"), ([], "au moins")],
)
def test_location_and_categories_outside_the_register_are_never_disclosed(
    member, categories, message
):
    email = processor(categories=[Category.CONTACT.value, Category.LOCATION.value])
    with pytest.raises(DisclosureRefused, match=message):
        disclosure_record(
            recipient=email,
            subject=member,
            categories=categories,
            legal_basis=Disclosure.LegalBasis.PROCESSOR_MANDATE,
        )


def test_an_inactive_recipient_gets_nothing(member):
    with pytest.raises(DisclosureRefused):
        disclosure_record(
            recipient=processor(is_active=False),
            subject=member,
            categories=[Category.CONTACT],
            legal_basis=Disclosure.LegalBasis.PROCESSOR_MANDATE,
        )


def test_a_contract_on_file_must_be_dated():
    with pytest.raises(IntegrityError), transaction.atomic():
        processor(contract_on_file=True, contract_date=None)


def test_deleting_the_account_keeps_the_disclosure_without_its_subject(member):
    disclosure = disclosure_record(
        recipient=processor(),
        subject=member,
        categories=[Category.CONTACT],
        legal_basis=Disclosure.LegalBasis.PROCESSOR_MANDATE,
    )
    member.delete()
    disclosure.refresh_from_db()
    assert disclosure.subject_id is None


def test_demo_processors_seed_is_idempotent_and_under_contract():
    first = demo_processors_seed()
    second = demo_processors_seed()
    assert [p.pk for p in first] == [p.pk for p in second]
    (email,) = first
    assert email.name == DEMO_EMAIL_PROVIDER
    assert email.contract_on_file and email.contract_date


# --- Incident register --------------------------------------------------------

INCIDENT = {
    "description": "Courriel envoyé au mauvais destinataire.",
    "personal_info_concerned": "Nom et numéro d’étudiant d’un membre.",
    "categories": ["identity"],
    "occurred_from": "2026-03-01",
    "discovered_on": "2026-03-02",
    "people_count": "1",
    "risk_assessment": "Faible : destinataire de confiance, courriel supprimé.",
    "commission_notified_on": "",
    "people_notified_on": "2026-03-03",
    "public_notice_reason": "",
    "measures_taken": "Demande de suppression confirmée.",
}


def test_the_privacy_officer_records_an_incident_with_the_regulations_items(client, staff_in_role):
    client.force_login(staff_in_role(roles.PRIVACY_OFFICER))
    response = client.post("/admin/privacy/confidentialityincident/add/", INCIDENT)
    assert response.status_code == 302, response.content.decode()[-3000:]
    incident = ConfidentialityIncident.objects.get()
    assert incident.people_count == 1
    assert incident.discovered_on == date(2026, 3, 2)
    assert incident.categories == ["identity"]
    assert AuditEntry.objects.filter(action="admin.add", object_id=str(incident.pk)).exists()


def test_member_services_cannot_see_or_record_incidents(client, staff_in_role):
    client.force_login(staff_in_role(roles.MEMBER_SERVICES))
    assert client.get("/admin/privacy/confidentialityincident/").status_code == 403
    assert client.post("/admin/privacy/confidentialityincident/add/", INCIDENT).status_code == 403
    assert not ConfidentialityIncident.objects.exists()


def test_an_incident_cannot_be_discovered_before_it_happened():
    with pytest.raises(IntegrityError), transaction.atomic():
        ConfidentialityIncident.objects.create(
            description="x",
            personal_info_concerned="x",
            occurred_from=date(2026, 3, 2),
            discovered_on=date(2026, 3, 1),
            people_count=1,
            risk_assessment="x",
            measures_taken="x",
        )


def test_a_public_notice_needs_its_reason():
    with pytest.raises(IntegrityError), transaction.atomic():
        ConfidentialityIncident.objects.create(
            description="x",
            personal_info_concerned="x",
            occurred_from=date(2026, 3, 1),
            discovered_on=date(2026, 3, 1),
            people_count=1000,
            risk_assessment="x",
            measures_taken="x",
            public_notice=True,
        )


# --- Person in charge ---------------------------------------------------------


def test_defaults_are_published_until_someone_is_named(client):
    info = person_in_charge()
    assert info.is_default
    assert info.phone
    html = client.get("/fr/politique-de-confidentialite/").content.decode()
    assert "Responsable de la protection des renseignements personnels" in html
    assert "1200, avenue McGill College" in html


def test_the_person_set_in_admin_is_shown_on_the_policy_and_contact_pages(client, staff_in_role):
    officer = staff_in_role(roles.PRIVACY_OFFICER)
    client.force_login(officer)
    response = client.post(
        "/admin/privacy/personincharge/add/",
        {
            "title_fr": "Responsable de la confidentialité",
            "title_en": "Privacy Officer",
            "name": "Camille Roy",
            "email": "vie-privee@aseq.example",
            "phone": "514 555-0100",
            "postal_address": "1200, avenue McGill College\nMontréal",
        },
    )
    assert response.status_code == 302
    assert client.get("/admin/privacy/personincharge/add/").status_code == 403  # one only
    client.logout()
    for url in ("/fr/politique-de-confidentialite/", "/fr/contact/"):
        html = client.get(url).content.decode()
        assert "Camille Roy" in html
        assert "vie-privee@aseq.example" in html
        assert "Responsable de la confidentialité" in html
    assert "Privacy Officer" in client.get("/en/privacy-policy/").content.decode()


def test_there_is_only_ever_one_person_in_charge():
    fields = {"title_fr": "T", "title_en": "T", "name": "A", "email": "a@example.org"}
    PersonInCharge.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonInCharge.objects.create(**fields)


def test_the_privacy_pages_still_set_no_cookie_for_anonymous_visitors(client):
    for url in ("/fr/politique-de-confidentialite/", "/fr/contact/"):
        assert not client.get(url).cookies


def test_the_person_in_charge_is_cached_and_a_change_shows_at_once(django_assert_num_queries):
    from privacy.registers.services import person_in_charge_save

    person_in_charge()
    with django_assert_num_queries(0):
        assert person_in_charge().is_default
    person_in_charge_save(
        person=PersonInCharge(
            title_fr="Responsable", title_en="Officer", name="Camille Roy", email="c@example.org"
        )
    )
    assert person_in_charge().name == "Camille Roy"
