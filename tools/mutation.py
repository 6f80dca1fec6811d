"""make mutation: would the tests notice a change that hurts members?

mutmut 3 mutates one module at a time (``[tool.mutmut.modules]`` in
pyproject.toml names each module's files and the only test files run against
them), and this script prints the share of mutants killed per module, with
the mutants known to be equivalent (``[tool.mutmut.equivalent]``, each with
the reason no test can tell it apart) left out of the count.

mutmut 3 mutates no decorated function (but static and class methods): the
``@transaction.atomic`` services are left to the functional tests, and the
table's closing note names them, so that a rate is not read as covering them.
``MUTATION_ATOMIC=1`` mutates those too (about 2.7 times the mutants of
members/services.py, 5 times those of privacy/requests/services.py).

Two things of this project's layout need help:
- mutmut imports coverage.py at start, and our Django app is also named
  ``coverage``: the run loads mutmut against a stand-in for coverage.py (its
  covered-lines option stays off), then lets ``import coverage`` find our app
  in the mutated copy of the project (``mutants/``), where the tests import it.
- Each module runs in its own process under a time cap, one after another
  (``--max-children`` 1 by default: the machine's cores are shared). Its
  figures are kept in var/mutation/<module>.json and its log beside them.

    python tools/mutation.py [module ...]      run, then print the table
    python tools/mutation.py --report          print the table of the last runs
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tomllib
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "var" / "mutation"
KILLED = {"killed", "timeout", "caught by type check", "segfault"}


def load_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]


def _load_mutmut_without_coverage_py():
    """Import mutmut while ``coverage`` names a stand-in, then forget the stand-in."""
    stand_in = types.ModuleType("coverage")
    exceptions = types.ModuleType("coverage.exceptions")

    class CoverageException(Exception):
        pass

    class Coverage:  # only used by mutate_only_covered_lines, which stays off
        def __init__(self, *args, **kwargs):
            raise RuntimeError("coverage.py is not loaded under make mutation")

    stand_in.Coverage = Coverage
    stand_in.CoverageData = Coverage
    stand_in.exceptions = exceptions
    exceptions.CoverageException = CoverageException
    sys.modules["coverage"] = stand_in
    sys.modules["coverage.exceptions"] = exceptions
    try:
        import mutmut.__main__ as mutmut_main
    finally:
        del sys.modules["coverage"], sys.modules["coverage.exceptions"]
    return mutmut_main


def _atomic_only(function) -> bool:
    """Decorated by ``@transaction.atomic`` alone (a bare attribute, no call)."""
    import libcst

    return bool(function.decorators) and all(
        isinstance(d.decorator, libcst.Attribute)
        and isinstance(d.decorator.value, libcst.Name)
        and (d.decorator.value.value, d.decorator.attr.value) == ("transaction", "atomic")
        for d in function.decorators
    )


def _mutate_atomic_functions_too() -> None:
    """Let mutmut mutate functions decorated by ``@transaction.atomic`` alone.

    mutmut skips decorated functions (a decorator may register the function, or
    break its trampoline). ``transaction.atomic`` does neither: the trampoline and
    each mutated copy keep it, and a nested atomic block is only a savepoint.
    """
    import libcst
    from mutmut.mutation.file_mutation import MutationVisitor

    skip = MutationVisitor._skip_node_and_children

    def skip_unless_atomic(self, node):
        if isinstance(node, libcst.FunctionDef) and _atomic_only(node):
            decorators = node.decorators
            object.__setattr__(node, "decorators", ())  # the same node: its metadata holds
            try:
                return skip(self, node)
            finally:
                object.__setattr__(node, "decorators", decorators)
        return skip(self, node)

    MutationVisitor._skip_node_and_children = skip_unless_atomic


def run_one(name: str, max_children: int) -> None:
    """In a process of its own: mutate module ``name``'s files, run its tests only."""
    module = load_config()["modules"][name]
    os.chdir(ROOT)
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    mutmut_main = _load_mutmut_without_coverage_py()
    if os.environ.get("MUTATION_ATOMIC") == "1":
        _mutate_atomic_functions_too()
    from mutmut.configuration import config

    settings = config()
    settings.only_mutate = list(module["mutate"])
    settings.pytest_add_cli_args_test_selection = list(module["tests"])
    # A module may add pytest options: --nomigrations builds each mutant's test database
    # from the models in half the time, where its tests need no row a migration seeds.
    settings.pytest_add_cli_args = [
        "-p",
        "no:cacheprovider",
        "-W",
        "ignore",
        *module.get("pytest_args", []),
    ]
    # MUTATION_ONLY: a pattern of mutant names (fnmatch), e.g. the PostgreSQL-only branch of
    # a function, re-run with DATABASE_URL pointing at PostgreSQL.
    only = os.environ.get("MUTATION_ONLY", "")
    mutmut_main._run(only.split() if only else [], max_children)


def collect(name: str) -> dict:
    """Count the statuses of module ``name``'s mutants from mutmut's files in mutants/."""
    from collections import Counter

    config = load_config()
    equivalent = config.get("equivalent", {})
    statuses: Counter = Counter()
    survivors, equivalents, stale = [], [], []
    for path in config["modules"][name]["mutate"]:
        meta = ROOT / "mutants" / f"{path}.meta"
        if not meta.exists():
            continue
        exit_codes = json.loads(meta.read_text())["exit_code_by_key"]
        # An entry for this file naming no mutant of it: its function changed since it
        # was listed (mutmut numbers mutants per function), so it excuses nothing now.
        module_prefix = path.removesuffix(".py").replace("/", ".") + ".x"
        stale += [key for key in equivalent if key.startswith(module_prefix)]
        stale = [key for key in stale if key not in exit_codes]
        for mutant, code in exit_codes.items():
            status = _status(code)
            if mutant in equivalent:
                equivalents.append(mutant)
                status = "equivalent"
            elif status not in KILLED and status != "not checked":
                survivors.append(f"{mutant} ({status})")
            statuses[status] += 1
    return {
        "module": name,
        "statuses": dict(statuses),
        "survivors": sorted(survivors),
        "equivalent": sorted(equivalents),
        "stale_equivalent": sorted(stale),
    }


def _status(code: int | None) -> str:
    from mutmut.stats import status_by_exit_code

    return status_by_exit_code[code]


def reclassify(result: dict) -> dict:
    """Survivors listed as equivalent since the run count as equivalent (--report)."""
    equivalent = load_config().get("equivalent", {})
    now_equivalent = [s for s in result["survivors"] if s.split()[0] in equivalent]
    if not now_equivalent:
        return result
    statuses = dict(result["statuses"])
    statuses["survived"] = statuses.get("survived", 0) - len(now_equivalent)
    statuses["equivalent"] = statuses.get("equivalent", 0) + len(now_equivalent)
    survivors = [s for s in result["survivors"] if s not in now_equivalent]
    return {**result, "statuses": statuses, "survivors": survivors}


def figures(result: dict) -> tuple[int, int, int, int]:
    """(killed, non-equivalent mutants checked, equivalent, not checked)."""
    statuses = result["statuses"]
    killed = sum(statuses.get(status, 0) for status in KILLED)
    equivalent = statuses.get("equivalent", 0)
    unchecked = statuses.get("not checked", 0)
    checked = sum(statuses.values()) - equivalent - unchecked
    return killed, checked, equivalent, unchecked


def print_table(names: list[str]) -> bool:
    """Print one line per module; True when each reaches the target."""
    target = load_config().get("target", 0.9)
    ok = True
    print(f"\n{'module':<12} {'killed':>7} {'of':>5} {'rate':>7} {'equiv.':>7} {'unchecked':>9}")
    for name in names:
        path = RESULTS / f"{name}.json"
        if not path.exists():
            print(f"{name:<12} not run")
            ok = False
            continue
        result = reclassify(json.loads(path.read_text()))
        killed, checked, equivalent, unchecked = figures(result)
        rate = killed / checked if checked else 0.0
        ok &= rate >= target and not unchecked
        print(f"{name:<12} {killed:>7} {checked:>5} {rate:>7.1%} {equivalent:>7} {unchecked:>9}")
    for name in names:
        path = RESULTS / f"{name}.json"
        if path.exists():
            result = reclassify(json.loads(path.read_text()))
            survivors = result["survivors"]
            if survivors:
                print(f"\n{name}: {len(survivors)} survivors (mutmut show NAME after a run of it)")
                for survivor in survivors:
                    print(f"  {survivor}")
            stale = result.get("stale_equivalent", [])
            if stale:
                ok = False
                print(f"\n{name}: listed as equivalent, but no such mutant (re-check them):")
                for key in stale:
                    print(f"  {key}")
    for name in names:
        unmutated = decorated_functions(name)
        if unmutated:
            print(
                f"\n{name}: not mutated (mutmut 3 skips decorated functions), "
                f"{len(unmutated)}: {', '.join(unmutated)}"
            )
    print(f"\ntarget: {target:.0%} of the non-equivalent mutants killed in each module")
    return ok


def decorated_functions(name: str) -> list[str]:
    """Functions of module ``name``'s files that mutmut leaves alone: it mutates no
    decorated function but a static or class method (``@transaction.atomic`` services
    are only covered by the functional tests)."""
    import ast

    found = []
    for path in load_config()["modules"][name]["mutate"]:
        tree = ast.parse((ROOT / path).read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            decorators = [ast.unparse(d) for d in node.decorator_list]
            mutated = [["staticmethod"], ["classmethod"]]
            if os.environ.get("MUTATION_ATOMIC") == "1":
                mutated.append(["transaction.atomic"])
            if decorators and decorators not in mutated:
                found.append(f"{node.name} (@{decorators[0]})")
    return found


def main() -> int:
    config = load_config()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help=f"of {sorted(config['modules'])}")
    parser.add_argument("--report", action="store_true", help="only print the last figures")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--max-children", type=int, default=1)
    parser.add_argument(
        "--time-limit",
        type=int,
        default=int(os.environ.get("MUTATION_TIME_LIMIT", "900")),
        help="seconds per module before its run is stopped (unchecked mutants then count)",
    )
    args = parser.parse_args()
    if args.run:
        run_one(args.run, args.max_children)
        return 0
    names = args.modules or list(config["modules"])
    unknown = sorted(set(names) - set(config["modules"]))
    if unknown:
        parser.error(f"unknown modules {unknown}")
    if not args.report:
        RESULTS.mkdir(parents=True, exist_ok=True)
        for name in names:
            run_module(name, args)
    return 0 if print_table(names) else 1


def run_module(name: str, args: argparse.Namespace) -> None:
    log = RESULTS / f"{name}.log"
    print(f"mutation: {name} (log in {log.relative_to(ROOT)}) ...", flush=True)
    with log.open("w") as output:
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [
                sys.executable,
                __file__,
                "--run",
                name,
                "--max-children",
                str(args.max_children),
            ],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            child.wait(timeout=args.time_limit)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGTERM)
            child.wait()
            print(f"  stopped after {args.time_limit} s: the rest is counted unchecked")
    (RESULTS / f"{name}.json").write_text(json.dumps(collect(name), indent=1))
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
