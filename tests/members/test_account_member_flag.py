"""An account's has_member_record flag is kept by the database (triggers on members_member),
so the purge's walk over accounts without a member record reads a partial index; the
purge still tests the record itself."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from members.models import Member, User
from privacy.retention.api import retention_purge
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def flag(user) -> bool:
    return User.objects.filter(pk=user.pk).values_list("has_member_record", flat=True).get()


def test_linking_unlinking_moving_and_deleting_a_record_keep_the_flag():
    first, second = UserFactory(), UserFactory()
    assert not flag(first) and not flag(second)
    record = MemberFactory(user=first, claimed_at=timezone.now())
    assert flag(first)
    record.user = second
    record.save()
    assert not flag(first) and flag(second)
    record.save()  # a save that leaves the link as it is changes nothing
    assert flag(second)
    Member.objects.filter(pk=record.pk).update(user=None, claimed_at=None)
    assert not flag(second)
    Member.objects.filter(pk=record.pk).update(user=first, claimed_at=timezone.now())
    assert flag(first)
    record.refresh_from_db()
    record.delete()
    assert not flag(first)


def test_a_whole_save_of_an_account_loaded_before_its_link_keeps_the_flag():
    account = UserFactory()
    loaded = User.objects.get(pk=account.pk)  # has_member_record False in memory
    MemberFactory(user=account, claimed_at=timezone.now())
    loaded.preferred_language = "en"
    loaded.save()
    assert flag(account)
    assert User.objects.get(pk=account.pk).preferred_language == "en"


def test_a_new_account_saved_whole_is_inserted():
    account = User(email="nouveau@example.org")
    account.save()
    assert not flag(account)
    account.is_active = False
    account.save()
    assert User.objects.get(pk=account.pk).is_active is False


def test_the_purge_takes_accounts_without_a_record_and_keeps_linked_ones_even_if_stale():
    unused, linked, stale = UserFactory(), UserFactory(), UserFactory()
    MemberFactory(user=linked, claimed_at=timezone.now())
    MemberFactory(user=stale, claimed_at=timezone.now())
    then = timezone.now() - timedelta(days=400)
    User.objects.filter(pk__in=[unused.pk, linked.pk, stale.pk]).update(
        date_joined=then, last_login=None
    )
    # A flag left false (e.g. a table loaded without the trigger) costs time, never an
    # account: the rule still asks for no member record.
    User.objects.filter(pk=stale.pk).update(has_member_record=False)
    retention_purge(started_by="command", model_label="members.User")
    remaining = set(User.objects.values_list("pk", flat=True))
    assert unused.pk not in remaining
    assert {linked.pk, stale.pk} <= remaining


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_batch_bound_reads_the_partial_index():
    from privacy.retention import engine
    from privacy.retention.models import RetentionRunLine
    from privacy.retention.rules import retention_rule_for

    rule = retention_rule_for("members.User")
    started = timezone.now() + rule.keep_for + timedelta(days=5)
    scope = engine._expired(rule, RetentionRunLine(cutoff=rule.cutoff(started)))
    bound = scope.order_by("date_joined", "pk").values_list("date_joined", "pk")[999:1000]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = bound.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "members_user_purge_unlinked" in plan
