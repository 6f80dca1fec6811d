"""docs/promises.md maps every policy promise to the tests that prove it; keep it honest.

Every promise P1..P31 and every Law 25 addition L1..L5 has a row whose "Proved by"
cell names tests or says plainly that the promise is not yet proved, and every
`tests/<path>.py::<name>` it names exists, so the map cannot rot when a test is
renamed or removed.
"""

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROMISES = ROOT / "docs" / "promises.md"
EXPECTED_ROWS = [f"P{n}" for n in range(1, 32)] + [f"L{n}" for n in range(1, 6)]
NOT_YET_PROVED = "not yet proved"

ROW_RE = re.compile(r"^\|\s*([PL]\d+)\s*\|(.*)\|\s*$", re.MULTILINE)
# `tests/x/test_y.py::test_name`, optionally `::Class::test_name` or `test_name[param]`.
REFERENCE_RE = re.compile(r"`(tests/[\w/]+\.py)((?:::\w+)+)(?:\[[^\]`]*\])?`")


def promise_rows(text: str) -> dict[str, str]:
    """Row id -> its "Proved by" cell (the last column)."""
    rows: dict[str, str] = {}
    for row_id, rest in ROW_RE.findall(text):
        assert row_id not in rows, f"{row_id} has two rows"
        rows[row_id] = rest.split("|")[-1].strip()
    return rows


@cache
def _defined_names(path: Path) -> frozenset[str]:
    """Dotted names of the functions and classes a file defines ("f", "Class.method")."""
    names: set[str] = set()

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(prefix + child.name)
                if isinstance(child, ast.ClassDef):
                    walk(child, f"{prefix}{child.name}.")

    walk(ast.parse(path.read_text(encoding="utf-8")), "")
    return frozenset(names)


def broken_references(text: str, root: Path = ROOT) -> list[str]:
    """Every `tests/...::name` in the text whose file or test does not exist."""
    broken = []
    for relative, parts in REFERENCE_RE.findall(text):
        path = root / relative
        names = parts.lstrip(":").split("::")
        if not path.is_file():
            broken.append(f"{relative}: no such file")
        elif not names[-1].startswith("test_"):
            broken.append(f"{relative}::{'::'.join(names)}: not a test")
        elif ".".join(names) not in _defined_names(path):
            broken.append(f"{relative}::{'::'.join(names)}: not defined there")
    return broken


def row_problems(text: str) -> list[str]:
    """Missing rows, and rows that neither name a test nor say they are not proved."""
    rows = promise_rows(text)
    problems = [f"{row_id}: no row" for row_id in EXPECTED_ROWS if row_id not in rows]
    problems += [f"{row_id}: unexpected row" for row_id in rows if row_id not in EXPECTED_ROWS]
    for row_id, proved_by in rows.items():
        if not REFERENCE_RE.search(proved_by) and NOT_YET_PROVED not in proved_by.lower():
            problems.append(f"{row_id}: names no test and does not say {NOT_YET_PROVED!r}")
    return problems


def test_every_promise_has_a_row_naming_its_proof_or_saying_it_is_not_yet_proved():
    assert row_problems(PROMISES.read_text(encoding="utf-8")) == []


def test_every_test_the_map_names_exists():
    text = PROMISES.read_text(encoding="utf-8")
    assert REFERENCE_RE.search(text), "the map names no test at all"
    assert broken_references(text) == []


def test_the_checks_catch_a_missing_row_a_silent_row_and_a_renamed_test():
    this_file = "tests/test_promises.py"
    rows = [f"| {row_id} | a | b | **not yet proved** |" for row_id in EXPECTED_ROWS]
    assert row_problems("\n".join(rows)) == []

    rows[2] = "| P3 | a | b | test: somewhere |"
    del rows[30]  # P31
    assert row_problems("\n".join(rows)) == [
        "P31: no row",
        "P3: names no test and does not say 'not yet proved'",
    ]

    good = f"`{this_file}::test_every_test_the_map_names_exists`"
    parametrised = f"`{this_file}::test_every_test_the_map_names_exists[fr-js]`"
    assert broken_references(f"{good}; {parametrised}") == []
    assert broken_references(
        f"`{this_file}::test_renamed_since`; `tests/gone.py::test_x`; `{this_file}::row_problems`"
    ) == [
        f"{this_file}::test_renamed_since: not defined there",
        "tests/gone.py: no such file",
        f"{this_file}::row_problems: not a test",
    ]
