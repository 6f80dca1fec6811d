import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from members.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from members.models import User
from privacy import roles

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_prints_sign_ins(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert User.objects.count() == len(DEMO_ACCOUNTS)
    assert DEMO_PASSWORD in output
    for account in DEMO_ACCOUNTS:
        assert account.email in output


def test_seed_demo_creates_two_members_and_one_staff_account_per_role():
    call_command("seed_demo")
    assert User.objects.filter(is_staff=False).count() >= 2
    for role in (roles.MEMBER_SERVICES, roles.PRIVACY_OFFICER, roles.OPERATOR):
        assert User.objects.filter(is_staff=True, groups__name=role).count() == 1


@override_settings(PORTAL_ENVIRONMENT="production")
def test_seed_demo_refuses_production_settings():
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_links_the_demo_students_and_prints_records_to_claim(capsys):
    from members.demo import DEMO_RECORDS
    from members.models import Dependant, Member, Provider

    call_command("seed_demo")
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert Member.objects.count() == len(DEMO_RECORDS)
    for email in ("etudiante@demo.aseq.ca", "etudiant@demo.aseq.ca"):
        assert Member.objects.filter(user__email=email).exists()
    unclaimed = [record for record in DEMO_RECORDS if not record.claimed_by]
    assert Member.objects.filter(user__isnull=True).count() == len(unclaimed)
    for record in unclaimed:
        assert record.student_number in output
    assert Dependant.objects.count() == sum(len(record.dependants) for record in DEMO_RECORDS)
    assert Provider.objects.filter(in_network=True).exists()
    assert Provider.objects.count() >= 20


def test_seed_demo_prints_both_brands_on_the_port_it_is_given(capsys):
    call_command("seed_demo", port=8123)
    output = capsys.readouterr().out
    assert "http://aseq.localhost:8123/fr/" in output
    assert "http://studentcare.localhost:8123/en/" in output
    assert ":8000" not in output
