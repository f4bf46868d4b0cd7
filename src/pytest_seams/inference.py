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


def _match(word: str, others: frozenset[str]) -> bool:
    if word in others:
        return True
    return len(word) >= 4 and any(
        len(other) >= 4 and (other.startswith(word) or word.startswith(other)) for other in others
    )


@dataclass(frozen=True)
class Inferred:
    seam: PlanSeam
    score: float
    text: str
    """The test's text that resembles the seam."""


class Candidates:
    """The seams a test may be inferred to link to (those of the plans nearest to it that
    cover it), with their words and the weight of each word."""

    def __init__(self, seams: Sequence[PlanSeam]) -> None:
        self.seams = list(seams)
        self.words = [
            words(seam.title).union(*(words(part) for part in seam.components)) for seam in seams
        ]
        counts: dict[str, int] = {}
        for seam_words in self.words:
            for word in seam_words:
                counts[word] = counts.get(word, 0) + 1
        total = len(self.seams)
        self._weights = {word: math.log((total + 1) / (n + 0.5)) for word, n in counts.items()}
        self._unseen = math.log((total + 1) / 0.5)

    def weight(self, word: str) -> float:
        return self._weights.get(word, self._unseen)

    def score(self, text_words: frozenset[str], index: int) -> float:
        """How alike a text's words and the words of seam ``index`` are, from 0 to 1."""
        seam_words = self.words[index]
        if not text_words or not seam_words:
            return 0.0
        seam_total = sum(self.weight(word) for word in seam_words)
        text_total = sum(self.weight(word) for word in text_words)
        seam_matched = sum(self.weight(w) for w in seam_words if _match(w, text_words))
        text_matched = sum(self.weight(w) for w in text_words if _match(w, seam_words))
        if not seam_matched or not text_matched:
            return 0.0
        seam_share, text_share = seam_matched / seam_total, text_matched / text_total
        return 2 * seam_share * text_share / (seam_share + text_share)

    def distinguishes(self, text_words: frozenset[str], best: int, other: int) -> bool:
        """Whether the text names something of seam ``best`` that seam ``other`` lacks: "Orders
        API → OrderService" does not tell "... → Postgres" from "... → Redis Cache"."""
        return any(
            _match(word, self.words[best]) and not _match(word, self.words[other])
            for word in text_words
        )


def infer(texts: Sequence[str], candidates: Candidates) -> Inferred | None:
    """The seam the texts describe, when one stands out (see the module docstring)."""
    ranked = sorted(
        (
            (candidates.score(words(text), index), index, text)
            for index in range(len(candidates.seams))
            for text in texts
        ),
        key=lambda entry: -entry[0],
    )
    if not ranked or ranked[0][0] < THRESHOLD:
        return None
    score, index, text = ranked[0]
    runner_up = next((entry for entry in ranked if entry[1] != index), None)
    if runner_up is not None and runner_up[0] > 0:
        if score - runner_up[0] < MARGIN:
            return None
        if not candidates.distinguishes(words(text), index, runner_up[1]):
            return None
    return Inferred(candidates.seams[index], score, text)
