"""Linking tests to the seams of TEST_PLAN.md files, and each seam's status.

Per test, the strongest class of evidence present decides and weaker ones are ignored:

1. ``marker``: ``@pytest.mark.seam("id or exact title")`` on the test, its class or module;
2. ``docstring``: a "Seam Under Test:" section; a class or module docstring whose first line is
   "Integration tests for <title>", "<title> Integration Tests" or "Tests for <title>"; a
   reference to a plan's numbered seam ("SEAM 3", "TEST 3.1"). The test's own docstring is
   consulted first, then its class's, then its module's: the nearest that names a seam decides;
3. ``plan-file``: the seam's plan entry names the test's file (a location field or column, a
   "# File:" line or a file tree in a fenced block of its section);
4. ``file-name``: the file is named ``test_<seam_slug>_integration.py``;
5. ``inferred``: a docstring describes one seam in its own words (``inference``), unless
   ``seam_infer_links = false``.

Docstring titles compare insensitive to case, punctuation, arrows, markup, CamelCase versus
spaced words and trailing generic words (``_loose_key``); marker values by id or exact title.

A plan covers the tests in its folder and below: a test links only to seams of plans in its
folder or a parent, and every reference is looked up in the nearest plan first. One that
matches seams of two plans of the same folder links to neither and is a plan finding.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, cast

from pytest_seams.codes import PLAN_PROBLEM, UNKNOWN_SEAM_MARKER
from pytest_seams.collect import DocstringClue, SeamHints
from pytest_seams.model import (
    Finding,
    LinkReason,
    Priority,
    Seam,
    SeamLink,
    SeamStatus,
    TestRecord,
)

if TYPE_CHECKING:
    from pytest_seams.inference import Candidates
    from pytest_seams.plan import PlanSeam


@dataclass
class _Index:
    by_key: dict[str, PlanSeam] = field(default_factory=dict)
    by_file: dict[str, list[PlanSeam]] = field(default_factory=dict)
    by_file_name: dict[str, list[PlanSeam]] = field(default_factory=dict)
    by_loose_key: dict[str, list[PlanSeam]] = field(default_factory=dict)
    by_number: dict[str, PlanSeam] = field(default_factory=dict)
    seams: list[PlanSeam] = field(default_factory=list)

    @classmethod
    def of(cls, seams: Iterable[PlanSeam]) -> _Index:
        # The plan module (Markdown parsing, many patterns) loads only when a plan has seams.
        from pytest_seams.plan import normalize_title, slugify

        index = cls(seams=list(seams))
        for seam in index.seams:
            index.by_key.setdefault(seam.id, seam)
            index.by_key.setdefault(normalize_title(seam.title), seam)
            index.by_loose_key.setdefault(_loose_key(seam.title), []).append(seam)
            if seam.number:
                index.by_number.setdefault(seam.number, seam)
            for named in seam.test_files:
                index.by_file.setdefault(posixpath.basename(named), []).append(seam)
            name = f"test_{slugify(seam.title).replace('-', '_')}_integration.py"
            index.by_file_name.setdefault(name, []).append(seam)
        return index

    def titled(self, text: str) -> list[PlanSeam]:
        """The seam with this id or title, if any."""
        from pytest_seams.plan import normalize_title

        seam = self.by_key.get(text.strip()) or self.by_key.get(normalize_title(text))
        return [seam] if seam else []

    def loosely_titled(self, text: str) -> list[PlanSeam]:
        """The seam with this id or title, else every seam whose title is the same loosely
        compared (``_loose_key``): more than one is ambiguous."""
        return self.titled(text) or self.by_loose_key.get(_loose_key(text), [])

    def numbered(self, number: str) -> list[PlanSeam]:
        seam = self.by_number.get(number)
        return [seam] if seam else []


class _PlanScopes:
    """The plans that cover each test, nearest first.

    A plan covers the tests of its scope folder (its own folder, see ``build_seams``) and
    below. Plans of one folder are equally near; a reference that matches seams of two of them
    is ambiguous.
    """

    def __init__(self, seams: Sequence[PlanSeam], plan_scopes: dict[str, str] | None) -> None:
        by_plan: dict[str, list[PlanSeam]] = {}
        for seam in seams:
            by_plan.setdefault(seam.plan, []).append(seam)
        self.indexes = {plan: _Index.of(plan_seams) for plan, plan_seams in by_plan.items()}
        self.folders: dict[str, list[str]] = {}
        for plan in sorted(by_plan):
            folder = (plan_scopes or {}).get(plan, posixpath.dirname(plan))
            self.folders.setdefault(folder, []).append(plan)
        self._levels: dict[str, list[list[str]]] = {}
        self._candidates: dict[tuple[str, ...], Candidates] = {}

    def levels(self, test_path: str) -> list[list[str]]:
        """The plans over a test file, a list per folder, nearest folder first."""
        folder = posixpath.dirname(test_path)
        if folder not in self._levels:
            levels = []
            current = "" if posixpath.isabs(folder) else folder  # outside rootdir: its plans
            while True:
                if current in self.folders:
                    levels.append(self.folders[current])
                if not current:
                    break
                current = posixpath.dirname(current)
            self._levels[folder] = levels
        return self._levels[folder]

    def titled(self, text: str, test_path: str, lookup: str = "titled") -> list[PlanSeam]:
        """The seam a marker value or title names in the nearest plan that lists it; several
        when equally near plans each list one (ambiguous). ``lookup``: the ``_Index`` method
        ("titled", "loosely_titled", "numbered")."""
        for plans in self.levels(test_path):
            matches = [seam for plan in plans for seam in getattr(self.indexes[plan], lookup)(text)]
            if matches:
                return matches
        return []

    def listing(self, test_path: str, table: str, key: str) -> list[PlanSeam]:
        """The seams under ``key`` in an ``_Index`` table ("by_file", "by_file_name") of the
        nearest folder of plans where it lists any."""
        for plans in self.levels(test_path):
            matches = [
                seam for plan in plans for seam in getattr(self.indexes[plan], table).get(key, [])
            ]
            if matches:
                return matches
        return []

    def candidates(self, plans: list[str]) -> Candidates:
        """The seams of equally near plans, ready for inference."""
        key = tuple(plans)
        if key not in self._candidates:
            from pytest_seams.inference import Candidates

            seams = [seam for plan in plans for seam in self.indexes[plan].seams]
            self._candidates[key] = Candidates(seams)
        return self._candidates[key]

    def elsewhere(self, text: str, test_path: str) -> list[PlanSeam]:
        """Seams that plans not covering the test list under ``text``."""
        covering = {plan for plans in self.levels(test_path) for plan in plans}
        return [
            seam
            for plan, index in self.indexes.items()
            if plan not in covering
            for seam in index.titled(text)
        ]


_GENERIC_TRAILING = ("integration", "integrations", "tests", "test", "seam", "seams", "flow")


def _loose_key(title: str) -> str:
    """A title as docstrings name it: "Loan API -> Loan Service -> Catalog Integration" and
    "Loan API → LoanService → Catalog" are both "loan api loan service catalog"."""
    from pytest_seams.plan import normalize_title

    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", title)  # LoanService -> Loan Service
    words = normalize_title(spaced).split()
    while len(words) > 1 and words[-1] in _GENERIC_TRAILING:
        words.pop()
    return " ".join(words)


def _ambiguous(reference: str, seams: Sequence[PlanSeam], test: TestRecord) -> Finding:
    plans = {seam.plan for seam in seams}
    if len(plans) == 1:
        named = " and ".join(f"{seam.title!r} (line {seam.line})" for seam in seams)
        message = (
            f"{reference} is ambiguous: it names seams {named} of {seams[0].plan}, whose titles "
            "differ only in case, punctuation, CamelCase or a trailing generic word, so it "
            "links to neither. Name one by its exact title or id, or with @pytest.mark.seam(...)."
        )
    else:
        named = " and ".join(
            f"seam {seam.id!r} of {seam.plan} (line {seam.line})" for seam in seams
        )
        message = (
            f"{reference} is ambiguous: it names {named}, plans equally near this test, so it "
            "links to neither. Name the seam by an id only one plan gives it (add an ID to the "
            "plan entry if both share one), or keep each plan in the folder of its own tests."
        )
    return PLAN_PROBLEM.finding(
        message,
        path=test.path,
        line=test.line,
        nodeid=test.nodeid,
    )


def _unknown(value: str, test: TestRecord, scopes: _PlanScopes) -> Finding:
    message = f"@pytest.mark.seam({value!r}) names no seam in the test plans"
    elsewhere = scopes.elsewhere(value, test.path)
    if elsewhere:
        plans = ", ".join(sorted({seam.plan for seam in elsewhere}))
        folder = posixpath.dirname(test.path) or "."
        message += (
            f" over {folder}/: only {plans} lists it, and a plan covers only the tests in its "
            "folder and below. Move the test under that plan's folder, or the seam into a plan "
            "in this folder or a parent."
        )
    else:
        message += ": use a seam id or its exact title from TEST_PLAN.md."
    return UNKNOWN_SEAM_MARKER.finding(message, path=test.path, line=test.line, nodeid=test.nodeid)


class _Found(NamedTuple):
    """A seam a test links to, with the class of evidence and the evidence itself."""

    seam: PlanSeam
    reason: LinkReason
    evidence: str
    score: float | None = None
    """An inferred link's score."""


Evidence = list[_Found]


def _docstring_evidence(
    clues: Sequence[DocstringClue], test: TestRecord, scopes: _PlanScopes
) -> tuple[Evidence, list[tuple[str, Finding]]]:
    """Seams the nearest docstring naming any (test's, class's, module's) names."""
    for where in ("test", "class", "module"):
        found: Evidence = []
        problems: list[tuple[str, Finding]] = []
        described = [clue.described for clue in clues if clue.where == where and clue.described]
        for clue in clues:
            if clue.where != where or clue.scope is not None:
                continue
            evidence = f"{where} docstring {clue.quote!r}"
            if clue.title is not None:
                matches = scopes.titled(clue.title, test.path, "loosely_titled")
            else:
                matches = scopes.titled(clue.number or "", test.path, "numbered")
                if len(matches) > 1:
                    # The words after the number, else the docstring's other words naming a
                    # seam ("Integration tests for Redis security validation (SEAM 4).").
                    texts = [clue.described] if clue.described else described
                    matches, telling = _told_apart(texts, matches)
                    if telling is not None and not clue.described:
                        evidence += f", told apart by {telling!r}"
            if len(matches) == 1:
                found.append(_Found(matches[0], "docstring", evidence))
            elif matches:
                reference = f"The {where} docstring's {clue.quote!r}"
                problems.append((clue.quote, _ambiguous(reference, matches, test)))
        if found or problems:
            return found, problems
    return [], []


def _told_apart(texts: list[str], seams: list[PlanSeam]) -> tuple[list[PlanSeam], str | None]:
    """Of seams that share a number, the one the texts describe when they tell it apart as
    an inferred link must, with the text that did; else all of them (ambiguous)."""
    from pytest_seams.inference import Candidates, infer

    found = infer(texts, Candidates(seams)) if texts else None
    return ([found.seam], found.text) if found is not None else (seams, None)


def _inferred_evidence(
    clues: Sequence[DocstringClue], test: TestRecord, scopes: _PlanScopes
) -> Evidence:
    """The seam the nearest docstring describing one in its own words resembles most, when
    one stands out among the seams of the nearest plans (see ``inference``)."""
    from pytest_seams.inference import infer

    # Texts that name a seam (Seam Under Test, title lines) before the components a test lists
    # (Integration Scope), which mention more than the seam; each nearest first.
    kinds = ("described", "scope")
    order = [(kind, where) for kind in kinds for where in ("test", "class", "module")]
    for kind, where in order:
        texts = {
            text: clue.quote
            for clue in clues
            if clue.where == where and (text := getattr(clue, kind))
        }
        if not texts:
            continue
        for plans in scopes.levels(test.path):
            inferred = infer(list(texts), scopes.candidates(plans))
            if inferred is not None:
                evidence = (
                    f"{where} docstring {texts[inferred.text]!r} resembles "
                    f"{inferred.seam.title!r} (score {inferred.score:.2f})"
                )
                return [_Found(inferred.seam, "inferred", evidence, round(inferred.score, 2))]
    return []


def link_tests(
    seams: Sequence[PlanSeam],
    tests: Sequence[TestRecord],
    hints: dict[str, SeamHints],
    plan_scopes: dict[str, str] | None = None,
    infer_links: bool = True,
) -> tuple[dict[tuple[str, str], list[SeamLink]], list[Finding]]:
    """Links per (plan, seam id), and a plan finding for each marker value naming no seam or
    an ambiguous one (``plan_scopes``: see ``build_seams``; ``infer_links``: whether class 5,
    inferred links, applies)."""
    scopes = _PlanScopes(seams, plan_scopes)
    links: dict[tuple[str, str], list[SeamLink]] = {(seam.plan, seam.id): [] for seam in seams}
    findings: list[Finding] = []
    reported: set[tuple[str, str]] = set()  # (file, reference): one finding each
    for test in tests:
        hint = hints.get(test.nodeid, SeamHints())
        found: Evidence = []
        problems: list[tuple[str, Finding]] = []
        name = posixpath.basename(test.path)
        if hint.marks:
            for value in hint.marks:
                matches = scopes.titled(value, test.path)
                if len(matches) == 1:
                    found.append(_Found(matches[0], "marker", f"@pytest.mark.seam({value!r})"))
                elif matches:
                    reference = f"@pytest.mark.seam({value!r})"
                    problems.append((value, _ambiguous(reference, matches, test)))
                elif (test.path, value) not in reported:
                    problems.append((value, _unknown(value, test, scopes)))
        if not hint.marks:
            found, problems = _docstring_evidence(hint.clues, test, scopes)
        if not (hint.marks or found):
            found = [
                _Found(seam, "plan-file", f"{seam.plan} names {name} in this seam's entry")
                for seam in scopes.listing(test.path, "by_file", name)
            ]
        if not (hint.marks or found):
            found = [
                _Found(seam, "file-name", f"{name} = test_<slug of {seam.title!r}>_integration.py")
                for seam in scopes.listing(test.path, "by_file_name", name)
            ]
        if infer_links and not (hint.marks or found or problems):
            found = _inferred_evidence(hint.clues, test, scopes)
        for reference, finding in problems:
            if (test.path, reference) not in reported:
                reported.add((test.path, reference))
                findings.append(finding)
        linked: set[tuple[str, str]] = set()
        for seam, reason, evidence, score in found:  # one link per seam and test
            key = (seam.plan, seam.id)
            if key not in linked:
                linked.add(key)
                link = SeamLink(nodeid=test.nodeid, reason=reason, evidence=evidence, score=score)
                links[key].append(link)
    return links, findings


def seam_status(
    priority: str | None, linked: Sequence[TestRecord], narrowed: bool = False
) -> SeamStatus:
    """A seam's status from its linked tests; ``narrowed``: the session left out part of the
    suite, whose tests may link to the seam, so no linked test means not-run, not untested."""
    if priority == "deferred":
        return "deferred"
    if not linked:
        return "not-run" if narrowed else "untested"
    ran = [test.outcome for test in linked if test.selected and test.outcome is not None]
    if not ran:
        return "not-run"
    if any(outcome in ("failed", "error") for outcome in ran):
        return "failing"
    if any(outcome in ("passed", "xpassed") for outcome in ran):
        return "verified"
    return "skipped"


def build_seams(
    seams: Sequence[PlanSeam],
    tests: Sequence[TestRecord],
    hints: dict[str, SeamHints],
    narrowed: bool = False,
    plan_scopes: dict[str, str] | None = None,
    infer_links: bool = True,
) -> tuple[list[Seam], dict[str, list[str]], list[Finding]]:
    """The report's seams, the seam ids of each test, and plan findings (``narrowed``: see
    ``seam_status``).

    A test links only to seams of plans that cover it, the nearest first: a plan covers the
    tests in its scope folder and below, ``plan_scopes`` mapping each plan path to that folder
    (rootdir-relative, "" for rootdir; by default the plan's own folder).
    """
    links, findings = link_tests(seams, tests, hints, plan_scopes, infer_links)
    by_nodeid = {test.nodeid: test for test in tests}
    per_test: dict[str, list[str]] = {}
    built = []
    for seam in seams:
        seam_links = sorted(links[(seam.plan, seam.id)], key=lambda link: link.nodeid)
        linked = [by_nodeid[link.nodeid] for link in seam_links]
        for link in seam_links:
            per_test.setdefault(link.nodeid, []).append(seam.id)
        built.append(
            Seam(
                id=seam.id,
                title=seam.title,
                # The parser gives P0-P3 or deferred (config checks priority_words' values).
                priority=cast("Priority | None", seam.priority),
                status=seam_status(seam.priority, linked, narrowed),
                tests=tuple(link.nodeid for link in seam_links),
                links=tuple(seam_links),
                plan=seam.plan,
                line=seam.line,
                components=tuple(seam.components),
            )
        )
    return built, per_test, findings
