from django.core.management.base import BaseCommand, CommandError

from privacy.audit.chain import audit_anchor_matches, audit_verify


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain. Exit code 1 and the first broken entry when "
        "broken; prints the head (id and hash) to keep outside the database when intact."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="ID:HASH",
            help="A head printed by an earlier run: entry ID must still have HASH.",
        )

    def handle(self, *args, anchor, **options):
        result = audit_verify()
        if not result.ok:
            where = f"#{result.first_broken_id}" if result.first_broken_id else "the chain head"
            raise CommandError(
                f"Audit log BROKEN at entry {where}: {result.reason} "
                f"({result.checked} entries verified before it).",
                returncode=1,
            )
        for item in anchor:
            entry_id, _sep, expected = item.partition(":")
            if not entry_id.isdigit() or len(expected) != 64:
                raise CommandError(f"--anchor takes ID:HASH, not {item!r}.", returncode=2)
            matches = audit_anchor_matches(entry_id=int(entry_id), expected_hash=expected)
            if matches is False:
                raise CommandError(
                    f"Audit log BROKEN at entry #{entry_id}: it no longer has the recorded "
                    "hash (the chain was rewritten).",
                    returncode=1,
                )
            if matches is None:
                self.stdout.write(f"Anchor #{entry_id} was purged; not checked.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log intact: {result.checked} entries verified; "
                f"head #{result.head_id}:{result.head_hash}"
            )
        )
