"""Dependants: add, edit, remove, with rules a member understands, in FR and EN."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from members import services
from members.models import ActivityEvent, Dependant
from tests.factories import DependantFactory

pytestmark = pytest.mark.django_db

MESSAGES = {
    "future": {
        "fr": "La date de naissance ne peut pas être dans le futur.",
        "en": "The date of birth cannot be in the future.",
    },
    "too_old": {
        "fr": "Un enfant à charge doit avoir moins de 25 ans selon les règles du régime.",
        "en": "A dependent child must be under 25 years of age under the plan’s rules.",
    },
    "duplicate": {
        "fr": "Cette personne figure déjà à votre dossier (même nom et même date de naissance).",
        "en": "This person is already on your file (same name and date of birth).",
    },
    "second_spouse": {
        "fr": "Vous avez déjà un conjoint ou une conjointe à votre dossier.",
        "en": "You already have a spouse or partner on your file.",
    },
}


def url(name, language="fr", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def years_ago(years, days=0):
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


def add(client, language="fr", **data):
    payload = {
        "relationship": "child",
        "first_name": "Léa",
        "last_name": "Tremblay",
        "date_of_birth": "2018-05-09",
    }
    payload.update(data)
    return client.post(url("members_dependant_add", language), payload)


@pytest.fixture
def signed_in(client, member_record):
    client.force_login(member_record.user)
    return client


def test_member_adds_a_spouse_then_children_with_plan_suffixes(signed_in, member_record):
    assert (
        add(
            signed_in, relationship="spouse", first_name="Alex", date_of_birth="2000-01-01"
        ).status_code
        == 302
    )
    assert add(signed_in, first_name="Léa").status_code == 302
    assert add(signed_in, first_name="Noé", date_of_birth="2020-02-02").status_code == 302
    numbers = [d.card_number for d in member_record.dependants.order_by("suffix")]
    base = member_record.member_number
    assert numbers == [f"{base}-01", f"{base}-02", f"{base}-03"]
    assert (
        ActivityEvent.objects.filter(user=member_record.user, kind="dependant_added").count() == 3
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_birth_date_in_the_future_is_refused(signed_in, member_record, language):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = add(signed_in, language, date_of_birth=tomorrow)
    assert response.status_code == 200
    assert MESSAGES["future"][language] in response.content.decode()
    assert 'data-error-summary role="alert"' in response.content.decode()
    assert not member_record.dependants.exists()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_child_must_be_younger_than_the_plan_limit(signed_in, member_record, language, settings):
    settings.MEMBERS_CHILD_MAX_AGE = 25
    response = add(signed_in, language, date_of_birth=years_ago(25).isoformat())
    assert MESSAGES["too_old"][language] in response.content.decode()
    assert not member_record.dependants.exists()
    # The day before the 25th birthday is still within the limit.
    response = add(signed_in, language, date_of_birth=years_ago(25, days=-1).isoformat())
    assert response.status_code == 302


def test_child_age_limit_follows_the_setting(signed_in, member_record, settings):
    settings.MEMBERS_CHILD_MAX_AGE = 21
    response = add(signed_in, date_of_birth=years_ago(22).isoformat())
    assert "moins de 21 ans" in response.content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_same_person_cannot_be_added_twice(signed_in, member_record, language):
    DependantFactory(
        member=member_record,
        first_name="Éloïse-Marie",
        last_name="Côté",
        date_of_birth=date(2016, 3, 3),
    )
    response = add(
        signed_in, language, first_name="eloise marie", last_name="COTE", date_of_birth="2016-03-03"
    )
    assert MESSAGES["duplicate"][language] in response.content.decode()
    assert member_record.dependants.count() == 1


def test_the_member_cannot_be_their_own_dependant(signed_in, member_record):
    response = add(
        signed_in,
        relationship="spouse",
        first_name=member_record.first_name,
        last_name=member_record.last_name,
        date_of_birth=member_record.date_of_birth.isoformat(),
    )
    assert MESSAGES["duplicate"]["fr"] in response.content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_at_most_one_spouse(signed_in, member_record, language):
    DependantFactory(member=member_record, relationship="spouse", date_of_birth=date(1999, 1, 1))
    response = add(
        signed_in, language, relationship="spouse", first_name="Autre", date_of_birth="1998-01-01"
    )
    assert MESSAGES["second_spouse"][language] in response.content.decode()
    assert member_record.dependants.filter(relationship="spouse").count() == 1


def test_the_database_refuses_a_second_spouse_whatever_the_code(member_record):
    DependantFactory(member=member_record, relationship="spouse", date_of_birth=date(1999, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Dependant.objects.create(
            member=member_record,
            relationship="spouse",
            suffix=1,
            first_name="B",
            last_name="B",
            date_of_birth=date(1998, 1, 1),
        )


def test_the_database_keeps_suffixes_unique_and_matching_the_relationship(member_record):
    child = DependantFactory(member=member_record)
    with pytest.raises(IntegrityError), transaction.atomic():
        DependantFactory(member=member_record, suffix=child.suffix)
    with pytest.raises(IntegrityError), transaction.atomic():
        DependantFactory(member=member_record, relationship="child", suffix=1)


def test_member_corrects_a_minor_childs_details(signed_in, member_record):
    child = DependantFactory(member=member_record, first_name="Lea", date_of_birth=date(2018, 5, 9))
    response = signed_in.post(
        url("members_dependant_edit", dependant_id=child.pk),
        {"first_name": "Léa", "last_name": child.last_name, "date_of_birth": "2018-05-10"},
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.first_name, child.date_of_birth) == ("Léa", date(2018, 5, 10))
    event = ActivityEvent.objects.get(user=member_record.user, kind="dependant_updated")
    assert event.changed_field_names == ["first_name", "date_of_birth"]
    assert "Léa" not in str(ActivityEvent.objects.filter(pk=event.pk).values().get())


def test_editing_keeps_the_rules(signed_in, member_record):
    child = DependantFactory(member=member_record, date_of_birth=date(2018, 5, 9))
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = signed_in.post(
        url("members_dependant_edit", dependant_id=child.pk),
        {"first_name": "X", "last_name": "Y", "date_of_birth": tomorrow},
    )
    assert MESSAGES["future"]["fr"] in response.content.decode()
    child.refresh_from_db()
    assert child.date_of_birth == date(2018, 5, 9)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_adult_dependants_show_as_an_overview_only(signed_in, member_record, language):
    spouse = DependantFactory(
        member=member_record,
        relationship="spouse",
        first_name="Alex",
        date_of_birth=date(1990, 2, 3),
    )
    page = signed_in.get(url("members_dependants", language)).content.decode()
    assert "Alex" in page
    assert "1990-02-03" not in page  # an overview: no birth date of an adult
    overview = signed_in.get(url("members_dependant_edit", language, dependant_id=spouse.pk))
    assert overview.status_code == 200
    assert 'name="first_name"' not in overview.content.decode()
    expected = {"fr": "Demander une correction", "en": "Request a correction"}[language]
    assert expected in overview.content.decode()
    response = signed_in.post(
        url("members_dependant_edit", language, dependant_id=spouse.pk),
        {"first_name": "Changed", "last_name": "X", "date_of_birth": "1990-02-03"},
    )
    spouse.refresh_from_db()
    assert spouse.first_name == "Alex"
    assert response.status_code == 200


def test_the_service_refuses_to_edit_an_adult_dependant(member_record):
    from django.core.exceptions import ValidationError

    adult_child = DependantFactory(member=member_record, date_of_birth=years_ago(19))
    with pytest.raises(ValidationError):
        services.dependant_update(
            dependant=adult_child, first_name="X", last_name="Y", date_of_birth=years_ago(19)
        )


def test_member_removes_a_dependant_after_confirming(signed_in, member_record):
    child = DependantFactory(member=member_record)
    confirm = signed_in.get(url("members_dependant_remove", dependant_id=child.pk))
    assert confirm.status_code == 200
    assert Dependant.objects.filter(pk=child.pk).exists()
    response = signed_in.post(url("members_dependant_remove", dependant_id=child.pk))
    assert response.status_code == 302
    assert not Dependant.objects.filter(pk=child.pk).exists()
    event = ActivityEvent.objects.get(user=member_record.user, kind="dependant_removed")
    assert event.object_id == child.pk


def test_a_removed_spouse_can_be_replaced(signed_in, member_record):
    spouse = DependantFactory(
        member=member_record, relationship="spouse", date_of_birth=date(1999, 1, 1)
    )
    services.dependant_remove(dependant=spouse)
    assert (
        add(
            signed_in, relationship="spouse", first_name="Sam", date_of_birth="1997-07-07"
        ).status_code
        == 302
    )
    assert member_record.dependants.get().suffix == 1


def test_without_a_record_the_member_is_sent_to_claim_it(client, member):
    client.force_login(member)
    response = client.get(url("members_dependants"))
    assert response.status_code == 302
    assert response["Location"] == url("members_claim")


# --- The plan's maximum ----------------------------------------------------------


TOO_MANY = {
    "fr": "Le régime permet au plus 3 personnes à charge à un même dossier.",
    "en": "The plan allows at most 3 dependants on one file.",
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_member_adds_more_dependants_than_the_plan_allows(
    signed_in, member_record, settings, language
):
    settings.MEMBERS_MAX_DEPENDANTS = 3
    for n in range(3):
        assert add(signed_in, language, first_name=f"Enfant{n}").status_code == 302
    response = add(signed_in, language, first_name="Enfant3")
    assert response.status_code == 302
    page = signed_in.get(response["Location"]).content.decode()
    assert TOO_MANY[language] in page
    assert url("members_dependant_add", language) not in page  # no add button any more
    assert member_record.dependants.count() == 3


def test_the_service_holds_the_maximum_whatever_the_view(member_record, settings):
    from django.core.exceptions import ValidationError

    settings.MEMBERS_MAX_DEPENDANTS = 2
    for _ in range(2):
        DependantFactory(member=member_record)
    with pytest.raises(ValidationError) as refused:
        services.dependant_add(
            member=member_record,
            relationship="child",
            first_name="Zoé",
            last_name="Roy",
            date_of_birth=date(2019, 1, 1),
        )
    assert refused.value.code == "too_many_dependants"
    assert member_record.dependants.count() == 2


def test_the_shipped_maximum_stops_a_flood_of_dependants(signed_in, member_record):
    """97 dependants in a minute, as reported: the plan's default (15) holds."""
    for n in range(20):
        add(signed_in, first_name=f"Enfant{n:02d}")
    assert member_record.dependants.count() == 15


def test_a_member_at_the_maximum_still_edits_and_removes(signed_in, member_record, settings):
    settings.MEMBERS_MAX_DEPENDANTS = 1
    child = DependantFactory(member=member_record, date_of_birth=years_ago(5))
    response = signed_in.post(
        url("members_dependant_edit", dependant_id=child.pk),
        {"first_name": "Noé", "last_name": child.last_name, "date_of_birth": child.date_of_birth},
    )
    assert response.status_code == 302
    signed_in.post(url("members_dependant_remove", dependant_id=child.pk))
    assert not member_record.dependants.exists()
