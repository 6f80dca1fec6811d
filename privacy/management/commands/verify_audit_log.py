from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from privacy.audit.anchors import (
    anchor_file_path,
    anchor_problems,
    audit_verified_read,
    audit_verified_write,
    read_anchors,
)
from privacy.audit.chain import audit_anchor_matches, audit_verify


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain and compare it with the latest signed anchor "
        "(AUDIT_ANCHOR_DIR). Names every damage found (altered entry, entries missing, "
        "truncation, rewound head) and exits 1; exits 0 when intact. Walks the entries "
        "appended since the last head it found intact (signed beside the anchors); "
        "--full walks the whole chain."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor-file",
            type=Path,
            help="Anchors to check against (a copy from the backups or the log stream); "
            "default: audit-anchors.jsonl in AUDIT_ANCHOR_DIR.",
        )
        parser.add_argument(
            "--no-anchor",
            action="store_true",
            help="Check the chain alone (cannot see a truncation or a rewound tail).",
        )
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="ID:HASH",
            help="A head printed by an earlier run: entry ID must still have HASH.",
        )

        parser.add_argument(
            "--full",
            action="store_true",
            help="Walk the whole chain, not only the entries since the last verified head "
            "(finds an old entry altered since; run it now and then, and after any doubt).",
        )

    def handle(self, *args, anchor_file, no_anchor, anchor, full, **options):
        verified = None if full else audit_verified_read()
        since = (verified.head_id, verified.head_hash) if verified is not None else None
        result = audit_verify(since=since)
        problems = list(result.problems)
        note = ""
        if not no_anchor:
            anchors = read_anchors(anchor_file)
            source = anchor_file or anchor_file_path()
            for number, why in anchors.invalid:
                problems.append((None, f"anchor file {source.name} line {number}: {why}"))
            if anchors.latest is not None:
                problems.extend(anchor_problems(anchors.latest))
                note = (
                    f"\nMatches the latest signed anchor ({anchors.latest.when}, "
                    f"#{anchors.latest.head_id}, {anchors.latest.reason})."
                )
            elif anchor_file is not None:
                raise CommandError(f"No signed anchor in {anchor_file}.", returncode=2)
            else:
                self.stderr.write(
                    f"No signed anchor in {source}: the chain was checked on its own, "
                    "which cannot see a truncation or a rewound tail."
                )
        for item in anchor:
            entry_id, _sep, expected = item.partition(":")
            if not entry_id.isdigit() or len(expected) != 64:
                raise CommandError(f"--anchor takes ID:HASH, not {item!r}.", returncode=2)
            matches = audit_anchor_matches(entry_id=int(entry_id), expected_hash=expected)
            if matches is False:
                problems.append(
                    (
                        int(entry_id),
                        "it no longer has the recorded hash (the chain was rewritten)",
                    )
                )
            if matches is None:
                self.stdout.write(f"Anchor #{entry_id} was purged; not checked.")
        if problems:
            first_id, first_reason = problems[0]
            where = f"#{first_id}" if first_id else "the chain head"
            lines = [
                f"Audit log BROKEN at entry {where}: {first_reason} "
                f"({result.checked} entries verified before it)."
            ]
            lines += [f"  also: {reason}" for _id, reason in problems[1:]]
            raise CommandError("\n".join(lines), returncode=1)
        audit_verified_write(
            head_id=result.head_id, head_hash=result.head_hash, start_id=result.start_id
        )
        scope = ""
        if result.since_id is not None:
            scope = (
                f" since #{result.since_id}, found intact {verified.when} "
                "(--full walks the whole chain)"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log intact: {result.checked} entries verified{scope}; "
                f"head #{result.head_id}:{result.head_hash}{note}"
            )
        )
