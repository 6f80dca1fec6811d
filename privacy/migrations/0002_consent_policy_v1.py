"""Version 1 of both policies, from the seed texts in privacy/policy_texts/.

Those files are the text of version 1 and stay as they are: later versions are
published with ``policy_publish`` (admin or ``manage.py publish_policy``).
"""

from pathlib import Path

from django.db import migrations
from django.utils import timezone

TEXTS = Path(__file__).resolve().parents[1] / "policy_texts"
SEED = {
    "privacy-policy": ("fr.txt", "en.txt"),
    "cookie-policy": ("cookies-fr.txt", "cookies-en.txt"),
}


def seed(apps, schema_editor):
    PolicyVersion = apps.get_model("privacy", "PolicyVersion")
    now = timezone.now()
    for kind, (french, english) in SEED.items():
        PolicyVersion.objects.get_or_create(
            kind=kind,
            version=1,
            defaults={
                "published_at": now,
                "text_fr": (TEXTS / french).read_text(encoding="utf-8").strip(),
                "text_en": (TEXTS / english).read_text(encoding="utf-8").strip(),
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_consent_initial"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
