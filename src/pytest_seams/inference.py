"""Inferred links, the weakest class of evidence: a docstring that describes a seam in its
own words ("Seam Under Test: Auth API ↔ UserStore (PG)" for the seam "Login API →
UserRepository → Postgres").

Compared are the test's "Seam Under Test" and "Integration Scope" sections and a class or
module docstring's title line, against each seam's title and components. Both become sets of
words: CamelCase split, plural "s" dropped, a few abbreviations spelled out (DB, PG, ...), filler
and generic words (the, between, integration, layer, ...) left out. Two words match when equal
or when the shorter, of at least four letters, begins the longer ("auth", "authentication").

Each word weighs by how rare it is among the candidate seams (inverse document frequency), so
"loan" tells more than "api", and a word no seam has weighs most. A text's score for a seam is
the harmonic mean of how much of the seam's weight the text matches and how much of the text's
weight the seam matches: 1.0 when they use the same words, lower for every word only one of
them has. The best seam links when its score reaches ``THRESHOLD``, beats every other seam
by ``MARGIN``, and the text names something of it that the next best seam lacks; otherwise the
test links to none, since a wrong link is worse than a missing one. The figures are calibrated
on labelled plans (tests/data/inference/, benchmarks/calibrate_inference.py, docs/seams.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pytest_seams.plan import PlanSeam

THRESHOLD = 0.5
"""The least score of an inferred link."""
MARGIN = 0.1
"""How much the best seam's score must exceed the next best's."""
TEXT_LIMIT = 2000
"""Characters of a docstring's text compared: a seam is named in its first lines, and a
pathological section cannot make a session slow."""

_FILLER_WORDS = """
    a an the and or of for to with without between via in on from into onto by at as is are
    be been being it its their them they this that these those which who whom when where while
    then than there here our your my we us you all any each every both either not no nor only
    also just so such very more most other same own can could should would will may might must
    do does did has have had how what why wherever whether if else up down out over under
    through across within around against about after before during again further once
    integration integrations integrated integrating integrate test tests tested testing seam
    seams flow flows layer layers component components collaboration collaborations
    interaction interactions boundary boundaries end path paths part parts side sides
    verify verifies verified verifying ensure ensures ensuring check checks checking
    correct correctly proper properly work works working behaviour behavior case cases
    scenario scenarios using use uses used call calls called calling real full complete whole
    e g i etc"""
_FILLER = frozenset(_FILLER_WORDS.split())
_ABBREVIATIONS = {
    "db": "database",
    "dbs": "database",
    "pg": "postgres",
    "postgresql": "postgres",
    "psql": "postgres",
    "svc": "service",
    "repo": "repository",
    "msg": "message",
    "msgs": "message",
    "config": "configuration",
    "cfg": "configuration",
    "env": "environment",
    "ui": "interface",
    "http": "api",
    "rest": "api",
    "endpoint": "api",
    "endpoints": "api",
    "route": "api",
    "routes": "api",
}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1024)  # the titles of a plan's seams and of a class's docstring repeat
def words(text: str) -> frozenset[str]:
    """The words of a text that may name a component: "Loan API → LoanService (DB)" gives
    {"loan", "api", "service", "database"}."""
    spaced = _CAMEL.sub(" ", text)
    found = set()
    for raw in _NON_WORD.sub(" ", spaced).lower().split():
        word = _ABBREVIATIONS.get(raw, raw)
        if word in _FILLER or word.isdigit():
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.add(word)
    return frozenset(found)


def _alike(word: str, other: str) -> bool:
    return word == other or (
        len(word) >= 4 and len(other) >= 4 and (other.startswith(word) or word.startswith(other))
    )


@dataclass(frozen=True)
class Inferred:
    seam: PlanSeam
    score: float
    text: str
    """The test's text that resembles the seam."""


Matches = dict[str, frozenset[str]]
"""Each word of a text -> the words of the candidate seams it matches."""


class Candidates:
    """The seams a test may be inferred to link to (those of the plans nearest to it that
    cover it), with their words and the weight of each word."""

    def __init__(self, seams: Sequence[PlanSeam]) -> None:
        self.seams = list(seams)
        self.titles = [words(seam.title) for seam in seams]
        self.words = [
            title.union(*(words(part) for part in seam.components))
            for title, seam in zip(self.titles, seams, strict=True)
        ]
        counts: dict[str, int] = {}
        for seam_words in self.words:
            for word in seam_words:
                counts[word] = counts.get(word, 0) + 1
        total = len(self.seams)
        self._weights = {word: math.log((total + 1) / (n + 0.5)) for word, n in counts.items()}
        self._unseen = math.log((total + 1) / 0.5)
        self._holders: dict[str, list[int]] = {}
        for index, seam_words in enumerate(self.words):
            for word in seam_words:
                self._holders.setdefault(word, []).append(index)
        self._matches: dict[str, Matches] = {}
        self._scores: dict[str, list[float]] = {}
        self.inferred: dict[tuple[str, ...], Inferred | None] = {}

    def weight(self, word: str) -> float:
        return self._weights.get(word, self._unseen)

    def matches(self, text: str) -> Matches:
        """The text's words, each with the seam words it matches (computed once per text:
        class and module docstrings serve many tests)."""
        if text not in self._matches:
            self._matches[text] = {
                word: frozenset(seam_word for seam_word in self._weights if _alike(word, seam_word))
                for word in words(text[:TEXT_LIMIT])
            }
        return self._matches[text]

    def scores(self, text: str) -> list[float]:
        """The text's score for each seam, computed once per text (class and module docstrings
        serve many tests), and only for the seams that share a word with it."""
        if text not in self._scores:
            matches = self.matches(text)
            scores = [0.0] * len(self.seams)
            named = frozenset().union(*matches.values())
            for index in {index for word in named for index in self._holders[word]}:
                scores[index] = self.score(matches, index)
            self._scores[text] = scores
        return self._scores[text]

    def score(self, matches: Matches, index: int) -> float:
        """How alike a text's words and seam ``index`` are, from 0 to 1: compared with the
        seam's title, and with its title and components (a long list of components would
        otherwise drown a text that names the title)."""
        return max(
            self._likeness(matches, self.titles[index]), self._likeness(matches, self.words[index])
        )

    def _likeness(self, matches: Matches, seam_words: frozenset[str]) -> float:
        if not matches or not seam_words:
            return 0.0
        seam_hits = seam_words.intersection(frozenset().union(*matches.values()))
        text_hits = [word for word, matched in matches.items() if matched & seam_words]
        if not seam_hits:
            return 0.0
        seam_share = sum(map(self.weight, seam_hits)) / sum(map(self.weight, seam_words))
        text_share = sum(map(self.weight, text_hits)) / sum(map(self.weight, matches))
        return 2 * seam_share * text_share / (seam_share + text_share)

    def distinguishes(self, matches: Matches, best: int, other: int) -> bool:
        """Whether the text tells seam ``best`` from seam ``other``: it names something of
        ``best`` that ``other`` lacks, or all of ``best``'s title and not all of ``other``'s.
        "Orders API → OrderService" tells neither "... → Postgres" from "... → Redis Cache"
        nor the reverse; "complete cache workflows" tells "Cache Workflows" from "Encrypted
        Cache Workflows"."""
        if any(
            matched & self.words[best] and not matched & self.words[other]
            for matched in matches.values()
        ):
            return True
        named = frozenset().union(*matches.values())
        title = self.titles[best]
        return bool(title) and title <= named and not self.titles[other] <= named


def infer(texts: Sequence[str], candidates: Candidates) -> Inferred | None:
    """The seam the texts describe, when one stands out (see the module docstring); once per
    set of texts, which the tests of a class often share."""
    key = tuple(texts)
    if key not in candidates.inferred:
        candidates.inferred[key] = _infer(texts, candidates)
    return candidates.inferred[key]


def _infer(texts: Sequence[str], candidates: Candidates) -> Inferred | None:
    ranked = sorted(
        (
            (score, index, text)
            for text in texts
            for index, score in enumerate(candidates.scores(text))
            if score > 0
        ),
        key=lambda entry: -entry[0],
    )
    if not ranked or ranked[0][0] < THRESHOLD:
        return None
    score, index, text = ranked[0]
    runner_up = next((entry for entry in ranked if entry[1] != index), None)
    if runner_up is not None:
        if score - runner_up[0] < MARGIN:
            return None
        if not candidates.distinguishes(candidates.matches(text), index, runner_up[1]):
            return None
    return Inferred(candidates.seams[index], score, text)
