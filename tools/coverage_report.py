"""make coverage: line and branch coverage of the suite, per app.

coverage.py cannot measure this project: its module is named ``coverage``, and
so is our Django app, which Django must import under that name. slipcover
measures lines and branches without importing any module named ``coverage``.
It runs the suite as ``make test`` does (browser journeys aside) and writes
var/coverage.json; this script then prints one line per app.

    python tools/coverage_report.py [pytest arguments]   run the suite, then report
    python tools/coverage_report.py --report             report the last run
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("aseq_portal", "members", "coverage", "privacy", "ops")
# Generated code: Django writes the migrations.
OMIT = ("*/migrations/*",)
OUTPUT = ROOT / "var" / "coverage.json"


def run(pytest_args: list[str]) -> int:
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "slipcover",
        "--branch",
        "--json",
        "--out",
        str(OUTPUT),
        "--source",
        ",".join(APPS),
        "--omit",
        ",".join(OMIT),
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-q",
        # slipcover loads before pytest and imports the pytest plugin module it wraps.
        "-W",
        "ignore:Module already imported so cannot be rewritten",
        *pytest_args,
    ]
    return subprocess.call(command, cwd=ROOT)  # noqa: S603 - our own interpreter


def per_app(report: dict) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for path, data in report["files"].items():
        relative = Path(path).resolve().relative_to(ROOT)
        app = relative.parts[0]
        summary = data["summary"]
        for key in ("covered_lines", "missing_lines", "covered_branches", "missing_branches"):
            totals[app][key] += summary.get(key, 0)
        totals[app]["files"] += 1
    return totals


def percent(covered: int, missing: int) -> str:
    total = covered + missing
    return f"{100 * covered / total:5.1f} %" if total else "    -  "


def print_table(report: dict) -> None:
    totals = per_app(report)
    print(f"\n{'app':<12} {'files':>5} {'lines':>7} {'missed':>7} {'line':>8} ", end="")
    print(f"{'branches':>9} {'missed':>7} {'branch':>8}")
    overall: dict[str, int] = defaultdict(int)
    for app in (*APPS, "total"):
        figures = overall if app == "total" else totals.get(app)
        if not figures:
            continue
        if app != "total":
            for key, value in figures.items():
                overall[key] += value
        lines = figures["covered_lines"] + figures["missing_lines"]
        branches = figures["covered_branches"] + figures["missing_branches"]
        print(
            f"{app:<12} {figures['files']:>5} {lines:>7} {figures['missing_lines']:>7} "
            f"{percent(figures['covered_lines'], figures['missing_lines']):>8} "
            f"{branches:>9} {figures['missing_branches']:>7} "
            f"{percent(figures['covered_branches'], figures['missing_branches']):>8}"
        )
    print(f"\n(slipcover, migrations omitted; details in {OUTPUT.relative_to(ROOT)})")


def main() -> int:
    args = sys.argv[1:]
    status = 0
    if args[:1] != ["--report"]:
        status = run(args)
    if not OUTPUT.exists():
        print("no coverage data: run the suite first")
        return 1
    print_table(json.loads(OUTPUT.read_text()))
    return status


if __name__ == "__main__":
    sys.exit(main())
