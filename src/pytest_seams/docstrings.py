"""Google-style docstring sections and the integration-test docstring contract.

A section is a line ``Section Name:`` whose body is either on the same line or indented on the
lines below it (a body directly under the heading at the same indentation is accepted too, up to
the next blank line). Section names match case-insensitively.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from pytest_seams.codes import SECTION_EMPTY, SECTION_MISSING, SECTION_PLACEHOLDER, Code

_HEADING = re.compile(r"^[ \t]*(?P<name>[A-Za-z][\w '&/-]{0,48}?)[ \t]*:(?P<rest>.*)$")
# "[List components being integrated]", "[Description]"; not code such as "cache[0]" or "d[key]".
# A capital first or a space inside, checked by lookahead: as an alternative "[^...]* [^...]*"
# the engine would try every space of an unclosed "[a a a ..." (quadratic in its length).
_PLACEHOLDER = re.compile(r"\[(?=[^\[\]\n]*[A-Za-z])(?:[A-Z]|(?=[^\[\]\n]* ))[^\[\]\n]*\]")
_TODO_WORDS = re.compile(r"\b(?:TODO|TBD|FIXME|XXX)\b")
# What may remain of a placeholder-only body: bullets, numbering, arrows and punctuation.
_FILLER_ONLY = re.compile(r"^[\s\-*+•·.,;:=>|/()→←↔⇒]*$")


def normalize(name: str) -> str:
    return " ".join(name.lower().split())


@dataclass
class Section:
    name: str
    line: int  # 0-based line of the heading within the docstring
    indent: int
    body_lines: list[str] = field(default_factory=list)
    flat: bool = False  # body written at the heading's own indentation

    # Read only once parsing is done, and several times per check: computed once.
    @functools.cached_property
    def key(self) -> str:
        return normalize(self.name)

    @functools.cached_property
    def body(self) -> str:
        return "\n".join(line.strip() for line in self.body_lines).strip()


def _dedent(docstring: str) -> list[str]:
    """Lines of the docstring with the common indentation of lines 2+ removed, count unchanged."""
    lines = docstring.expandtabs(4).splitlines()
    rest = [line for line in lines[1:] if line.strip()]
    margin = min((len(line) - len(line.lstrip()) for line in rest), default=0)
    return [line.strip() for line in lines[:1]] + [line[margin:] for line in lines[1:]]


def parse_sections(docstring: str) -> list[Section]:
    sections: list[Section] = []
    current: Section | None = None
    for number, raw in enumerate(_dedent(docstring)):
        text = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        if current is not None and text and indent > current.indent:
            current.body_lines.append(raw)
            continue
        if current is not None and not text:
            current.body_lines.append(raw)
            current.flat = False
            continue
        heading = _HEADING.match(raw)
        if heading:
            current = Section(heading["name"], number, indent)
            rest = heading["rest"].strip()
            if rest:
                current.body_lines.append(rest)
            else:
                current.flat = True
            sections.append(current)
            continue
        if current is not None and current.flat and indent == current.indent:
            current.body_lines.append(raw)
            continue
        current = None
    return sections


def is_placeholder_only(body: str) -> bool:
    """True for a non-empty body that holds nothing but template placeholders and filler."""
    if not body.strip():
        return False
    remainder = _TODO_WORDS.sub("", _PLACEHOLDER.sub("", body))
    return bool(_FILLER_ONLY.match(remainder))


@dataclass(frozen=True)
class Breach:
    """One way a docstring fails the contract; ``line`` is 0-based within the docstring."""

    code: Code
    message: str
    line: int | None


@functools.lru_cache(maxsize=1024)
def _filled_sections(docstring: str) -> frozenset[str]:
    """Keys of the sections of a class or module docstring that have real content."""
    return frozenset(
        section.key
        for section in parse_sections(docstring)
        if section.body and not is_placeholder_only(section.body)
    )


# Parametrized tests share one docstring, and classes and modules share theirs: cache.
@functools.lru_cache(maxsize=4096)
def check_contract(
    docstring: str | None,
    outer_docstrings: tuple[str | None, ...],
    required: tuple[str, ...],
    inherited: tuple[str, ...],
) -> tuple[Breach, ...]:
    """Check a test docstring; ``outer_docstrings`` are its class and module docstrings.

    Required sections must be on the test itself, except those in ``inherited``, which the class
    or module docstring may provide instead. Required sections must have a body; no section of
    the test's own docstring may be only template placeholders.
    """
    own = {section.key: section for section in parse_sections(docstring or "")}
    inherited_keys = {normalize(name) for name in inherited}
    outer_keys = frozenset().union(
        *(_filled_sections(outer) for outer in outer_docstrings if outer)
    )
    breaches: list[Breach] = []
    for name in required:
        key = normalize(name)
        section = own.get(key)
        if section is None:
            if key in inherited_keys and key in outer_keys:
                continue
            where = (
                "its own docstring"
                if key not in inherited_keys
                else "the test, class or module docstring"
            )
            breaches.append(
                Breach(
                    SECTION_MISSING,
                    f'integration test docstring lacks the required section "{name}": add a line '
                    f'"{name}:" to {where}, followed by an indented body.',
                    None,
                )
            )
        elif not section.body:
            breaches.append(
                Breach(
                    SECTION_EMPTY,
                    f'section "{section.name}" is empty: write what it documents on the heading '
                    "line or indented on the lines below it.",
                    section.line,
                )
            )
    for section in own.values():
        if is_placeholder_only(section.body):
            breaches.append(
                Breach(
                    SECTION_PLACEHOLDER,
                    f'section "{section.name}" holds only template placeholders '
                    f"({_first_line(section.body)!r}): replace them with the real content.",
                    section.line,
                )
            )
    return tuple(breaches)


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 60 else line[:57] + "..."


@functools.lru_cache(maxsize=4096)
def section_bodies(docstring: str, name: str) -> tuple[str, ...]:
    """Bodies of the sections called ``name`` (case-insensitively) in a docstring."""
    key = normalize(name)
    return tuple(s.body for s in parse_sections(docstring) if s.key == key and s.body)
