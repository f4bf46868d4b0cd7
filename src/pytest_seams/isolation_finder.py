"""``seams isolation``: find order-dependent tests and the tests that pollute them.

Runs the selected tests once in file order and N times in random orders (pytest-randomly
seeds), each in a subprocess, and compares each test's outcome across the runs. For a test that
passes in some order and fails in another, it bisects the tests that ran before it in a failing
run, as detect-test-pollution does: run the victim after one half of them, in file order; keep
the half after which it still fails, until one test is left, the polluter.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pytest_seams.isolation_recorder import RECORD_VARIABLE

RECORDER = "pytest_seams.isolation_recorder"
FAILING = frozenset({"failed", "error"})
ALONE_RUNS = 3
"""Runs of a victim on its own, to tell a test that needs an earlier test from a flaky one."""
CONFIRMATIONS = 2
"""Runs of polluter then victim that must all fail before the polluter is named."""


@dataclass(frozen=True)
class Run:
    name: str
    """"file order" or "seed N"."""
    seed: int | None
    outcomes: dict[str, str]
    """Each test's outcome: passed, failed, error or skipped."""
    order: dict[str, list[str]]
    """The tests each worker ran, in order ("main" without xdist)."""
    rootdir: str


@dataclass(frozen=True)
class Pollution:
    victim: str
    polluter: str | None
    """None when no single test before it makes it fail (see ``reason``)."""
    passed_in: list[str]
    failed_in: list[str]
    command: str | None
    """The command that runs the polluter then the victim, and fails."""
    reason: str = ""
    flaky: bool = False
    """Its outcome varied when it ran alone: not order-dependent, flaky."""


@dataclass
class Findings:
    runs: list[str] = field(default_factory=list)
    order_dependent: list[Pollution] = field(default_factory=list)


class UsageError(Exception):
    pass


def arguments_parser(add_help: bool = True) -> argparse.ArgumentParser:
    isolation = argparse.ArgumentParser(
        prog="seams isolation", add_help=add_help, allow_abbrev=False
    )
    isolation.add_argument(
        "--runs", type=int, default=3, help="runs in random orders, besides file order (3)"
    )
    isolation.add_argument(
        "--seed", type=int, help="the first run's seed; run i uses SEED+i (default: random)"
    )
    isolation.add_argument("--format", choices=("text", "json"), default="text")
    return isolation


def progress(message: str) -> None:
    print(f"seams isolation: {message}", file=sys.stderr, flush=True)


def run_pytest(args: Sequence[str], cwd: Path | None = None) -> tuple[int, list[dict[str, str]]]:
    """Run pytest in a subprocess with the recorder; its status and its records."""
    with tempfile.TemporaryDirectory(prefix="seams-isolation-") as folder:
        record = Path(folder) / "record.jsonl"
        environment = {**os.environ, RECORD_VARIABLE: str(record)}
        command = [sys.executable, "-m", "pytest", "-p", RECORDER, "-q", *args]
        status = subprocess.run(
            command, cwd=cwd, env=environment, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, check=False,
        ).returncode  # fmt: skip
        lines = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
    return status, [entry for line in lines if (entry := _record(line)) is not None]


def _record(line: str) -> dict[str, str] | None:
    """One line of the recorder's file; None for a line cut short (a run that was killed
    while writing it), so a crashed run reads as the tests it finished."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def as_run(name: str, seed: int | None, records: list[dict[str, str]]) -> Run:
    outcomes: dict[str, str] = {}
    order: dict[str, list[str]] = {}
    rootdir = ""
    for line in records:
        if "rootdir" in line:
            rootdir = line["rootdir"]
            continue
        nodeid, when, outcome = line["nodeid"], line["when"], line["outcome"]
        if when == "setup":
            order.setdefault(line["worker"], []).append(nodeid)
        if outcome == "failed":
            outcomes[nodeid] = "failed" if when == "call" else "error"
        elif outcome == "skipped" and outcomes.get(nodeid) not in FAILING:
            outcomes[nodeid] = "skipped"
        else:
            outcomes.setdefault(nodeid, "passed")
    return Run(name, seed, outcomes, order, rootdir)


def reproduce(nodeids: Sequence[str]) -> list[str]:
    return ["-p", "no:randomly", *nodeids]


def victim_fails_after(before: Sequence[str], victim: str, rootdir: Path) -> bool:
    _status, records = run_pytest(reproduce([*before, victim]), cwd=rootdir)
    return as_run("", None, records).outcomes.get(victim) in FAILING


def bisect(victim: str, failing: Run, passed_in: list[str], failed_in: list[str]) -> Pollution:
    rootdir = Path(failing.rootdir)
    before = next(
        tests[: tests.index(victim)] for tests in failing.order.values() if victim in tests
    )

    def finding(polluter: str | None, reason: str = "", flaky: bool = False) -> Pollution:
        command = shlex.join(["pytest", *reproduce([polluter, victim])]) if polluter else None
        if command and Path.cwd().resolve() != rootdir.resolve():  # node ids are rootdir's
            command = f"cd {shlex.quote(str(rootdir))} && {command}"
        return Pollution(victim, polluter, passed_in, failed_in, command, reason, flaky)

    progress(f"bisecting {victim}: running it alone {ALONE_RUNS} times")
    failures = sum(victim_fails_after([], victim, rootdir) for _ in range(ALONE_RUNS))
    if failures == ALONE_RUNS:
        return finding(
            None,
            f"it fails when run alone ({failures} of {ALONE_RUNS} runs): it needs something "
            "that a test before it sets up in the orders where it passes",
        )
    if failures:
        return finding(
            None,
            f"it is flaky: run alone, with nothing before it, it failed {failures} of "
            f"{ALONE_RUNS} times (look for threads, timing, randomness or outside services)",
            flaky=True,
        )
    progress(f"bisecting {victim}: checking it fails after the {len(before)} tests before it")
    if not before or not victim_fails_after(before, victim, rootdir):
        return finding(
            None,
            f"it passes after the tests that ran before it in {failing.name}, run again in that "
            "order: the failure needs more than they leave behind, or the test is flaky",
        )
    step = 0
    while len(before) > 1:
        step += 1
        half = before[: len(before) // 2]
        progress(f"bisecting {victim}: step {step}, {len(before)} candidates")
        before = half if victim_fails_after(half, victim, rootdir) else before[len(half) :]
    polluter = before[0]
    progress(f"bisecting {victim}: confirming {polluter}")
    if not all(victim_fails_after([polluter], victim, rootdir) for _ in range(CONFIRMATIONS)):
        return finding(
            None,
            "no single test makes it fail every time: several tests pollute it together, "
            "or it is flaky",
        )
    return finding(polluter)


def find(pytest_args: Sequence[str], runs: int, seed: int | None) -> Findings:
    if runs < 1:
        raise UsageError(f"--runs must be at least 1, not {runs}")
    if importlib.util.find_spec("pytest_randomly") is None:
        raise UsageError(
            "pytest-randomly is not installed: install it (pip install 'pytest-seams[randomly]')"
        )
    first = random.Random().getrandbits(32) if seed is None else seed
    plans: list[tuple[str, int | None, list[str]]] = [("file order", None, ["-p", "no:randomly"])]
    plans += [
        (f"seed {first + i}", first + i, ["-p", "randomly", f"--randomly-seed={first + i}"])
        for i in range(runs)
    ]
    done: list[Run] = []
    for name, run_seed, order_args in plans:
        status, records = run_pytest([*pytest_args, *order_args])
        if status not in (0, 1):
            raise UsageError(
                f"pytest exited {status} in the {name} run (no tests, a usage error or an "
                f"internal error): run `pytest {shlex.join(pytest_args)}` to see why"
            )
        run = as_run(name, run_seed, records)
        done.append(run)
        failed = sum(1 for outcome in run.outcomes.values() if outcome in FAILING)
        progress(
            f"run {len(done)}/{len(plans)} ({name}): {len(run.outcomes)} tests, {failed} failed"
        )
    findings = Findings(runs=[run.name for run in done])
    every_test = dict.fromkeys(nodeid for run in done for nodeid in run.outcomes)
    for nodeid in every_test:
        failed_in = [run for run in done if run.outcomes.get(nodeid) in FAILING]
        passed_in = [run for run in done if run.outcomes.get(nodeid) == "passed"]
        if failed_in and passed_in:
            findings.order_dependent.append(
                bisect(
                    nodeid,
                    failed_in[0],
                    [run.name for run in passed_in],
                    [run.name for run in failed_in],
                )
            )
    return findings


def _tests(count: int, kind: str) -> str:
    return f"{count} {kind} test{'s' if count != 1 else ''}"


def render_text(findings: Findings) -> str:
    runs = ", ".join(findings.runs)
    if not findings.order_dependent:
        return f"seams isolation: no order-dependent test in {len(findings.runs)} runs ({runs})"
    flaky = sum(pollution.flaky for pollution in findings.order_dependent)
    counts = [_tests(len(findings.order_dependent) - flaky, "order-dependent")]
    if flaky:
        counts.append(_tests(flaky, "flaky"))
    lines = [f"seams isolation: {', '.join(counts)} in {len(findings.runs)} runs ({runs})"]
    for pollution in findings.order_dependent:
        lines += [
            "",
            f"{'flaky:' if pollution.flaky else 'victim:':<10} {pollution.victim}",
            f"  passed in: {', '.join(pollution.passed_in)}; failed in: "
            f"{', '.join(pollution.failed_in)}",
        ]
        if pollution.polluter:
            lines += [f"polluter:  {pollution.polluter}", f"reproduce: {pollution.command}"]
        elif pollution.flaky:
            lines.append(f"  {pollution.reason}")
        else:
            lines.append(f"polluter:  not found: {pollution.reason}")
    return "\n".join(lines)


def isolation(options: argparse.Namespace, pytest_args: list[str]) -> int:
    try:
        findings = find(pytest_args, options.runs, options.seed)
    except UsageError as error:
        print(f"seams: error: {error}", file=sys.stderr)
        return 2
    if options.format == "json":
        print(json.dumps(
            {"runs": findings.runs,
             "order_dependent": [asdict(pollution) for pollution in findings.order_dependent]},
            indent=2,
        ))  # fmt: skip
    else:
        print(render_text(findings))
    return 1 if findings.order_dependent else 0
