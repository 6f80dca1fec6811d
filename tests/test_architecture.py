"""The import contracts of pyproject.toml hold, and would notice a breach.

`make test` runs lint-imports over the tree; these tests run it over a copy
in which one import is planted, to prove the contracts can fail.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("aseq_portal", "coverage", "members", "privacy", "ops", "tools")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("tree")
    ignore = shutil.ignore_patterns("__pycache__", "migrations")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, copy / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, check=False
    )


def plant(tree: Path, path: str, source: str):
    planted = tree / path
    planted.write_text(source)
    return planted


def test_the_contracts_hold_on_the_tree(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("path", "source", "broken"),
    [
        # members reaching into a privacy internal instead of its public module
        (
            "members/planted.py",
            "from privacy.consent.models import ConsentRecord\n",
            "members.planted -> privacy.consent.models",
        ),
        (
            "coverage/planted.py",
            "from privacy.crypto import seal\n",
            "coverage.planted -> privacy.crypto",
        ),
        # the wrong direction between apps
        ("members/planted.py", "import coverage.models\n", "members.planted"),
        # the kernel must stay free of Django
        ("privacy/kernel/planted.py", "import django.conf\n", "privacy.kernel.planted"),
        # a lower concern importing a higher one
        ("privacy/audit/planted.py", "import privacy.requests.services\n", "privacy.audit"),
    ],
)
def test_a_planted_import_breaks_a_contract(tree, path, source, broken):
    planted = plant(tree, path, source)
    try:
        result = lint_imports(tree)
    finally:
        planted.unlink()
    assert result.returncode != 0
    assert broken in result.stdout
