"""The retention purge's batches are index range scans on the large coverage tables.

The purge walks rows by (start of their window, pk) (privacy/retention/engine.py);
without an index on those two columns each batch bound is a full scan of claims
or enrolments (268-321 ms a batch at the plan's 2 million claims).
"""

import pytest
from django.db import connection

from coverage.models import Claim, Enrolment
from privacy.datamap.registry import declaration_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Claim, Enrolment])
def test_the_purge_order_has_an_index(model):
    start = declaration_for(model).retention.starts_from
    columns = [model._meta.get_field(start).column, model._meta.pk.column]
    indexed = [
        [model._meta.get_field(f).column for f in index.fields] for index in model._meta.indexes
    ]
    assert columns in indexed


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
@pytest.mark.parametrize("model", [Claim, Enrolment])
def test_a_purge_batch_bound_is_read_through_the_index(model):
    start = declaration_for(model).retention.starts_from
    bound = model.objects.order_by(start, "pk").values_list(start, "pk")[1999:2000]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table is scanned anyway
        plan = bound.explain()
    assert f"{model._meta.db_table}_purge" in plan, plan
