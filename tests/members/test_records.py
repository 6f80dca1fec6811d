"""The plan's records: encrypted at rest, found by blind index, invariants in the database."""

from datetime import date

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import IntegrityError, connection, transaction

from members.models import Dependant, Member, MemberLocation
from privacy.fields import blind_index_filter
from tests.factories import AssociationFactory, DependantFactory, MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db


def raw_row(model, pk) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {model._meta.db_table} WHERE id = %s",  # noqa: S608
            [model._meta.pk.get_db_prep_value(pk, connection)],
        )
        columns = [c[0] for c in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def test_the_raw_tables_hold_no_plaintext_personal_value(monkeypatch):
    # allauth's second factors: a TOTP secret and a recovery-code seed.
    staff = StaffFactory()
    totp_secret, recovery_seed = "JBSWY3DPEHPK3PXPKZXW6YTB", "5eed" * 20
    monkeypatch.setattr(RecoveryCodes, "generate_seed", classmethod(lambda cls: recovery_seed))
    totp = TOTP.activate(staff, totp_secret).instance
    codes = RecoveryCodes.activate(staff).instance
    member = MemberFactory(
        student_number="20231001",
        first_name="Camille",
        last_name="Tremblay",
        date_of_birth=date(2001, 3, 14),
        email="camille@example.org",
        phone="514 555-0142",
        address_line1="4500, rue Saint-Denis",
        postal_code="H2J 2L3",
    )
    dependant = DependantFactory(member=member, first_name="Léa", date_of_birth=date(2018, 5, 9))
    location = MemberLocation.objects.create(member=member, area="H2J")
    raw = " ".join(
        str(value)
        for row in (
            raw_row(Member, member.pk),
            raw_row(Dependant, dependant.pk),
            raw_row(MemberLocation, location.pk),
            raw_row(Authenticator, totp.pk),
            raw_row(Authenticator, codes.pk),
        )
        for value in row.values()
    )
    for plaintext in (
        totp_secret,
        recovery_seed,
        "20231001",
        "Camille",
        "Tremblay",
        "2001-03-14",
        "camille@example.org",
        "555-0142",
        "Saint-Denis",
        "H2J",
        "Léa",
        "2018-05-09",
    ):
        assert plaintext not in raw, plaintext


def test_student_number_and_contact_email_are_found_by_blind_index():
    member = MemberFactory(student_number="CQ-458812", email="Camille@Example.org")
    MemberFactory()
    assert Member.objects.get(blind_index_filter(Member, "student_number", "cq-458812")) == member
    assert Member.objects.get(blind_index_filter(Member, "email", "camille@example.org")) == member


def test_a_student_number_is_unique_per_association_only():
    first = MemberFactory(student_number="123456")
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(association=first.association, student_number="123456")
    MemberFactory(association=AssociationFactory(), student_number="123456")


def test_a_claimed_record_always_says_when():
    member = MemberFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=member.pk).update(claimed_at=member.created_at)


def test_card_numbers_carry_the_plan_suffixes():
    member = MemberFactory(member_number="ASEQ-123456")
    spouse = DependantFactory(member=member, relationship="spouse", date_of_birth=date(1999, 1, 1))
    child = DependantFactory(member=member)
    assert (member.card_number, spouse.card_number, child.card_number) == (
        "ASEQ-123456-00",
        "ASEQ-123456-01",
        "ASEQ-123456-02",
    )


def test_a_members_string_never_shows_a_name():
    member = MemberFactory(first_name="Camille", last_name="Tremblay")
    assert "Camille" not in str(member)
    assert "Tremblay" not in str(DependantFactory(member=member, last_name="Tremblay"))
