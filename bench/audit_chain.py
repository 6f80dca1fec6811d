"""Audit log throughput: appends per second and verification speed.

Writes entries that can never be deleted (append-only), so run it against a
throwaway database only:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aseq_bench \
        .venv/bin/python manage.py migrate -v 0 && \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aseq_bench \
        .venv/bin/python bench/audit_chain.py [entries]
"""

import os
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aseq_portal.settings.local")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from privacy.audit.chain import audit_record, audit_verify  # noqa: E402
from privacy.models import AuditEntry  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    started = time.perf_counter()
    for _ in range(count):
        with transaction.atomic():
            audit_record(
                action="admin.view",
                object_type="members.User",
                object_id=str(uuid.uuid4()),
                subject=uuid.uuid4(),
                metadata={"field": "email"},
            )
    append_seconds = time.perf_counter() - started
    total = AuditEntry.objects.count()
    started = time.perf_counter()
    result = audit_verify()
    verify_seconds = time.perf_counter() - started
    print(f"database: {connection.vendor}")
    print(f"appended {count} entries, one transaction each: {count / append_seconds:,.0f}/s")
    print(
        f"verified {result.checked} of {total} entries (ok={result.ok}): "
        f"{result.checked / verify_seconds:,.0f}/s, {verify_seconds:.2f} s"
    )


if __name__ == "__main__":
    main()
