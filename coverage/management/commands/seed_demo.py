from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coverage.demo import coverage_demo_seed
from members.demo import DEMO_ASSOCIATIONS, DEMO_PASSWORD, demo_accounts_seed, demo_records_seed
from privacy.registers.api import demo_processors_seed


class Command(BaseCommand):
    help = "Load demo data (idempotent). Refuses to run under production settings."

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            type=int,
            default=None,
            help="Port the local server listens on (default: PORT, else 8000).",
        )

    def handle(self, *args, **options):
        if settings.PORTAL_ENVIRONMENT == "production":
            raise CommandError("seed_demo refuses to run with production settings.")
        accounts = demo_accounts_seed()
        unclaimed = demo_records_seed()
        coverage = coverage_demo_seed()
        demo_processors_seed()
        port = options["port"] or getattr(settings, "PORTAL_LINK_PORT", None) or 8000
        self.stdout.write(self.style.SUCCESS("Demo data ready. Serving both brands:"))
        self.stdout.write(f"  ASEQ (français)       http://aseq.localhost:{port}/fr/compte/login/")
        self.stdout.write(
            f"  Studentcare (English) http://studentcare.localhost:{port}/en/account/login/"
        )
        self.stdout.write(f"  (or http://127.0.0.1:{port}/, the ASEQ brand)")
        self.stdout.write(
            f"Coverage: {coverage['plans']} plans (this policy year and last), "
            f"{coverage['claims']} new claims."
        )
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        for account in accounts:
            self.stdout.write(f"  {account.email:<32} {account.description}")
        self.stdout.write(
            "Staff accounts turn on two-factor authentication (any authenticator app), then "
            "accept the confidentiality agreement and the procedures, before the admin opens."
        )
        # Members: records a newly signed-up tester can claim (Mon compte > Rattacher).
        self.stdout.write("Unclaimed member records (student number / date of birth / school):")
        schools = {code: name for code, _slug, name, _en in DEMO_ASSOCIATIONS}
        for record in unclaimed:
            self.stdout.write(
                f"  {record.student_number:<12} {record.date_of_birth:%Y-%m-%d}  "
                f"{schools[record.association]}"
            )
