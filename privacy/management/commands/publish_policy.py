from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from privacy.consent.policy_models import PolicyKind
from privacy.consent.services import policy_publish


class Command(BaseCommand):
    help = (
        "Publish the next version of the privacy policy or the cookie policy from text files "
        "(light markup: # headings, - bullets, 1. items). Every visitor is asked to choose "
        "again; signed-in members are shown the summary of changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=PolicyKind.values)
        parser.add_argument("--fr", required=True, type=Path, help="French text file.")
        parser.add_argument("--en", required=True, type=Path, help="English text file.")
        parser.add_argument("--changes-fr", required=True, help="What changed, in French.")
        parser.add_argument("--changes-en", required=True, help="What changed, in English.")

    def handle(self, *args, **options):
        try:
            version = policy_publish(
                kind=options["kind"],
                text_fr=options["fr"].read_text(encoding="utf-8"),
                text_en=options["en"].read_text(encoding="utf-8"),
                changes_fr=options["changes_fr"],
                changes_en=options["changes_en"],
            )
        except (OSError, ValidationError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Published {version.kind} version {version.version}.")
        )
