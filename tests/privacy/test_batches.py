"""The keyset batch walker (privacy.batches): every row once, bounded, resumable."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from privacy.batches import keyset_windows
from tests.retentionapp.models import Visit

pytestmark = pytest.mark.django_db

START = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
def visits():
    # Several rows share a start: the key's pk breaks the ties.
    return [
        Visit.objects.create(visited_at=START + timedelta(days=i // 3), page=f"p{i}")
        for i in range(11)
    ]


def walk(rows, **kwargs) -> list[list[int]]:
    return [
        list(rows.filter(w.q).order_by("visited_at", "pk").values_list("pk", flat=True))
        for w in keyset_windows(rows, **kwargs)
    ]


def test_every_row_once_in_key_order_in_bounded_windows(visits):
    rows = Visit.objects.all()
    windows = walk(rows, size=4, key=("visited_at", "pk"))
    assert [len(w) for w in windows] == [4, 4, 3]
    expected = sorted(visits, key=lambda v: (v.visited_at, v.pk))
    assert [pk for w in windows for pk in w] == [v.pk for v in expected]


def test_only_the_last_window_is_open_ended(visits):
    windows = list(keyset_windows(Visit.objects.all(), size=4))
    assert [w.is_last for w in windows] == [False, False, True]
    assert windows[0].after is None
    assert windows[1].after == windows[0].last


def test_a_walk_of_an_exact_multiple_ends_with_an_empty_window(visits):
    windows = walk(Visit.objects.all(), size=11)
    assert [len(w) for w in windows] == [11, 0]


def test_a_walk_resumes_behind_its_cursor(visits):
    rows = Visit.objects.all()
    first = next(keyset_windows(rows, size=5, key=("visited_at", "pk")))
    resumed = walk(rows, size=5, key=("visited_at", "pk"), after=first.last)
    assert sum(len(w) for w in resumed) == 6
    assert not set(rows.filter(first.q).values_list("pk", flat=True)) & {
        pk for w in resumed for pk in w
    }


def test_rows_removed_by_the_caller_are_not_walked_again(visits):
    rows = Visit.objects.all()
    sizes = []
    for window in keyset_windows(rows, size=4):
        sizes.append(rows.filter(window.q).delete()[0])
    assert sizes == [4, 4, 3]
    assert not Visit.objects.exists()


def test_each_bound_is_one_query_that_loads_no_rows(visits):
    windows = keyset_windows(Visit.objects.all(), size=4, key=("visited_at", "pk"))
    with CaptureQueriesContext(connection) as queries:
        next(windows)
    assert len(queries) == 1
    sql = queries[0]["sql"].upper()
    assert "ORDER BY" in sql and "LIMIT 1" in sql and "OFFSET 3" in sql


def test_a_size_below_one_is_refused():
    with pytest.raises(ValueError):
        next(keyset_windows(Visit.objects.all(), size=0))
