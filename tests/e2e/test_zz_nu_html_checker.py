"""The W3C Nu HTML Checker finds no error on any page the journeys stepped on.

Runs last (file order), over the HTML each journey step saved. The checker is
vnu-jar from the npm registry (`make e2e` installs it under .venv/vnu), run
with the machine's Java; VNU_JAR names another copy.
"""

import json
import os
import shutil
import subprocess  # nosec B404 - runs the checker on files we wrote
from pathlib import Path

import pytest

from .support import MARKUP

pytestmark = pytest.mark.e2e

DEFAULT_JAR = (
    Path(__file__).resolve().parents[2] / ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
)


def test_every_page_the_journeys_visit_is_valid_html():
    jar = Path(os.environ.get("VNU_JAR", DEFAULT_JAR))
    java = shutil.which("java")
    if not jar.is_file() or java is None:
        pytest.fail(f"the Nu HTML Checker needs {jar} and java: run `make e2e`")
    pages = sorted(MARKUP.glob("*.html")) if MARKUP.exists() else []
    if not pages:
        pytest.fail("no page saved: run the journeys first (make e2e runs them all)")
    result = subprocess.run(  # nosec B603
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], f"{len(errors)} errors on {len(pages)} pages:\n" + "\n".join(errors)
