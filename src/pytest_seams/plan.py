"""Read the seams out of a TEST_PLAN.md.

Structure comes from markdown-it tokens (headings, lists, tables), never from regexes over the
raw file, so code blocks, quotes and odd spacing cannot fake a seam. Regexes are only applied to
the text of one heading, line or cell at a time.

A seam is a heading labelled ``SEAM`` (``### 1. **SEAM**: A → B``, ``#### SEAM 3: A → B``) or a
row of a table with a ``Seam`` column. Its priority is taken nearest first: a ``Priority`` field
in its body, a line opening with a bold priority (``**HIGH PRIORITY**``, ``**PRIORITY: MEDIUM**``)
among the first lines of its body, a ``(P0)`` tag between the label and the separator, the
table's Priority column (or a Status that defers it), and finally the nearest enclosing section
heading that is a priority heading (``## P0 - Must Have``, never ``## Critical Path Tests``).

Explicit P0-P3 stand as written; words go through a table (DEFAULT_PRIORITY_WORDS), and a bare
"Priority N" with no word maps to PN, matching the samples where "Priority 1: HIGH" is P1.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pytest_seams.paths import FileTooLarge, NotRegularFile, read_regular_file

if TYPE_CHECKING:
    from markdown_it.tree import SyntaxTreeNode

DEFAULT_PRIORITY_WORDS: dict[str, str] = {
    "CRITICAL": "P0",
    "HIGHEST": "P0",
    "MUST": "P0",
    "HIGH": "P1",
    "SHOULD": "P1",
    "MEDIUM": "P2",
    "COULD": "P2",
    "LOW": "P3",
    "DEFERRED": "deferred",
    "ELIMINATED": "deferred",
    "WON'T": "deferred",
    "OUT OF SCOPE": "deferred",
}


@dataclass(frozen=True, kw_only=True)
class PlanSeam:
    id: str
    title: str
    priority: str | None
    components: list[str]
    business_impact: str | None
    scenarios: list[str]
    test_files: list[str]
    plan: str
    line: int
    number: str | None = None
    """The seam's number in its plan ("### 3. SEAM:", "SEAM 3:", a "#" column), which
    docstrings refer to ("SEAM 3", "TEST 3.1")."""


@dataclass(frozen=True, kw_only=True)
class PlanProblem:
    plan: str
    line: int
    message: str


@dataclass(frozen=True, kw_only=True)
class ParsedPlan:
    path: str
    seams: list[PlanSeam]
    problems: list[PlanProblem]


class UnreadablePlan(Exception):
    """A plan file that is not read; the message says why and how to fix it."""


def read_plan(path: str, shown: str, max_bytes: int) -> str:
    """The text of a plan file: a regular UTF-8 text file of at most ``max_bytes`` bytes.

    Anything else raises UnreadablePlan; a FIFO or device is never read (``read_regular_file``).
    """
    fix = "rename it or narrow --seam-plans / seam_plans"
    try:
        data = read_regular_file(path, max_bytes)
    except NotRegularFile as error:
        raise UnreadablePlan(
            f"plan {shown} is {error.kind}, not a regular file, and was not read: {fix}"
        ) from None
    except FileTooLarge:
        raise UnreadablePlan(
            f"plan {shown} is larger than {max_bytes} bytes and was not read: shorten it, or "
            "raise --seam-plan-max-bytes / seam_plan_max_bytes"
        ) from None
    except OSError as error:
        raise UnreadablePlan(f"could not read plan {shown}: {error.strerror}") from None
    if b"\0" in data:
        raise UnreadablePlan(
            f"plan {shown} holds NUL bytes (a binary file?) and was not read: {fix}"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadablePlan(
            f"plan {shown} is not UTF-8 text (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}) and was not read: save it as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")  # a byte order mark is not part of the first heading


# Label names, compared after normalize_title() (so case, markup and punctuation do not matter).
_PRIORITY_LABELS = ("priority", "prio", "seam priority", "test priority")
_ID_LABELS = ("id", "seam id")
_COMPONENT_LABELS = ("components", "component", "components involved", "involved components")
_IMPACT_LABELS = ("business impact",)
_SCENARIO_LABELS = ("scenarios", "scenario", "test scenarios", "success criteria", "critical paths")
_SEAM_COLUMNS = ("seam", "seams", "seam name", "integration seam")
_TEST_FILE_COLUMNS = (
    "test file", "test files", "test file location", "test location", "location", "tests", "test",
    "file", "files", "implementation file", "output file",
)  # fmt: skip
_NUMBER_COLUMNS = ("", "no", "number", "n")  # "#" normalises to ""
# "# File: tests/integration/test_x.py" in a fenced block; a file tree drawn with ├── / └──.
# [ \t], not \s: \s would cross line ends, and every line start of a block of blank lines would
# scan all the blank lines after it (quadratic in the block).
_FILE_COMMENT = re.compile(
    r"^[ \t]*(?:#|//)[ \t]*file[ \t]*:[ \t]*(\S+\.py)\b", re.IGNORECASE | re.MULTILINE
)
_TREE_MARKS = ("├", "└", "|--", "`--", "+--")

_ARROW = re.compile(r"<-+>|-+>|=+>|[→⟶⇒↔➔➜]")
# Applied to the plain text of one heading or cell. The label must come first (after an optional
# enumerator like "1." or "A)"), then an optional number/letter, an optional (P0) tag and a
# separator, so "Integration Seams Discovered" or "Seam-to-seam notes" are not seams. A hyphen
# separates only when followed by a space; "SEAM-3" is a number. No two adjacent parts may match
# the same characters (as "[^\w]*[^\w]*" would): on a failing match the engine would try every
# split between them, quadratic in the length of a heading of punctuation.
_SEAM_START = r"""^[^\w]*(?:(?:(?P<enum>\d+)(?:\.\d+)*[.)]?|[a-z][.)])[^\w]*)?seam\b
    (?:(?:\s+|\s*[#]\s*|-)(?P<label>\d+(?:\.\d+)*[a-z]?|[a-z])\b)?
    (?:\s*[(\[](?P<tag>[^)\]]*)[)\]])?\s*"""
_SEAM_HEADING = re.compile(
    _SEAM_START + r"(?:[:\u2013\u2014]|-(?=\s|$))\s*(?P<title>.*)$", re.IGNORECASE | re.VERBOSE
)
_SEAM_LIKE = re.compile(_SEAM_START + r"(?P<title>.*)$", re.IGNORECASE | re.VERBOSE)
_FIELD = re.compile(r"^\s*(?P<label>[^\W\d_][^:]{0,40}?)\s*:\s*(?P<value>.*)$", re.DOTALL)
_PY_PATH = re.compile(r"(?<![\w/.-])[\w./-]*\w\.py\b")
_EXPLICIT_P = re.compile(r"(?<![A-Z0-9])P([0-3])(?![A-Z0-9])")
_PRIORITY_NUMBER = re.compile(r"\bPRIORITY\s*(?:#|NO\.?)?\s*([0-3])\b")


def parse_plan(text: str, path: str, priority_words: Mapping[str, str] | None = None) -> ParsedPlan:
    given = DEFAULT_PRIORITY_WORDS if priority_words is None else priority_words
    words = {_upper(word): priority for word, priority in given.items()}
    try:
        # Imported here: sessions of projects without a plan never need the Markdown parser.
        from markdown_it import MarkdownIt
        from markdown_it.tree import SyntaxTreeNode

        md = MarkdownIt("commonmark").enable("table")
        blocks = SyntaxTreeNode(md.parse(text)).children
    except RecursionError:  # the tree is built recursively: ~1000 nested emphases are too many
        return _unparsed(path, _TOO_DEEP)
    except Exception as exc:  # markdown-it should not fail, but a bad plan must never crash a run
        return _unparsed(path, f"markdown-it failed ({exc!r})")
    try:
        return _parse_blocks(blocks, path, words)
    except RecursionError:
        return _unparsed(path, _TOO_DEEP)
    except Exception as exc:  # a bug of ours on strange input: a problem, never a crash
        return _unparsed(path, f"{exc!r}; please report this to pytest-seams with the plan")


_TOO_DEEP = "its emphasis, lists or quotes are nested too deeply; flatten them"


def _unparsed(path: str, reason: str) -> ParsedPlan:
    message = f"cannot read the seams of this plan: {reason}."
    return ParsedPlan(
        path=path, seams=[], problems=[PlanProblem(plan=path, line=1, message=message)]
    )


def _parse_blocks(
    blocks: Sequence[SyntaxTreeNode], path: str, words: Mapping[str, str]
) -> ParsedPlan:
    rows: list[PlanSeam] = []  # seams from table rows
    seams: list[PlanSeam] = []  # seams from headings, with their own priority label only
    fallbacks: list[str | None] = []  # per heading seam: its enclosing priority heading's
    problems: list[PlanProblem] = []
    sections: list[tuple[int, str | None]] = []  # open headings: (level, priority they name)
    for index, block in enumerate(blocks):
        if block.type != "heading":
            for table in _find(block, "table"):
                rows.extend(_table_seams(table, path, _section_priority(sections), words))
            continue
        level, line = int(block.tag[1]), _line(block)
        while sections and sections[-1][0] >= level:
            sections.pop()
        heading = _text(block.children)
        match, problem = _read_heading(heading)
        if problem:
            problems.append(PlanProblem(plan=path, line=line, message=problem))
        if match is None:
            sections.append((level, None if problem else _heading_priority(heading, words)))
            continue
        body = _body(blocks, index + 1, level)
        seams.append(_heading_seam(match, body, path, line, None, words))
        fallbacks.append(_section_priority(sections))
        sections.append((level, None))  # a seam's title is not a section priority
    merged = _merge_described_twice(rows, seams, fallbacks)
    return ParsedPlan(path=path, seams=_unique(merged, problems), problems=problems)


_GENERIC_TRAILING = ("integration", "flow", "seam")


def _seam_key(title: str) -> str:
    """A title as compared for "one seam described twice": normalised, and without trailing
    generic words ("Renewal Flow Integration" and "Renewal Flow" are both "renewal")."""
    words = normalize_title(title).split()
    while len(words) > 1 and words[-1] in _GENERIC_TRAILING:
        words.pop()
    return " ".join(words)


def _merge_described_twice(
    rows: list[PlanSeam], sections: list[PlanSeam], fallbacks: list[str | None]
) -> list[PlanSeam]:
    """Seams in document order, a summary-table row and the detailed section that describe the
    same seam made one: located at the section, with the section's title, its own priority
    label, else the row's Priority column, else the section's enclosing priority heading; the
    row fills what the section leaves out (components, impact, test files, an explicit id)."""
    summaries = _summary_rows(rows, sections)
    merged: list[PlanSeam] = []
    used: set[int] = set()
    for index, (seam, fallback) in enumerate(zip(sections, fallbacks, strict=True)):
        summary = summaries.get(index)
        if summary is None:
            merged.append(seam if seam.priority else dataclasses.replace(seam, priority=fallback))
            continue
        used.add(id(summary))
        explicit_id = summary.id != slugify(summary.title)
        own_components = seam.components != _split(seam.title, False)
        merged.append(
            dataclasses.replace(
                seam,
                id=summary.id if explicit_id and seam.id == slugify(seam.title) else seam.id,
                priority=seam.priority or summary.priority or fallback,
                components=seam.components if own_components else summary.components,
                business_impact=seam.business_impact or summary.business_impact,
                test_files=list(dict.fromkeys([*seam.test_files, *summary.test_files])),
                number=seam.number or summary.number,
            )
        )
    merged += [row for row in rows if id(row) not in used]
    return sorted(merged, key=lambda seam: seam.line)


def _summary_rows(rows: list[PlanSeam], sections: list[PlanSeam]) -> dict[int, PlanSeam]:
    """The summary-table row of each section (by index) that describes the same seam.

    Real summary tables shorten the sections' titles ("Cache Factory Assembly" for "Cache
    Factory Assembly and Service Creation") and list them in another order, so a row is paired
    with a section, each at most once, when:

    1. their titles are equal after normalising (``_seam_key``);
    2. else every word of the row's title is in exactly one unpaired section's title, repeated
       as pairs are made: "Key Management" is in "Environment Configuration and Key
       Management" and in "Key Generation and Management" until the row "Environment
       Configuration" takes the first;
    3. else, once steps 1-2 paired at least half the table (so that it is a summary of the
       sections), the same with every word but one, at least two of them: "Cache Preset
       Recommendation" and "Cache Preset Environment-Aware Configuration".

    Words are compared as inferred links compare them (``inference.words``).
    """
    from pytest_seams.inference import words

    paired: dict[int, PlanSeam] = {}
    by_key: dict[str, int] = {}
    for index, section in enumerate(sections):
        by_key.setdefault(_seam_key(section.title), index)
    waiting = []
    for row in rows:
        same = by_key.get(_seam_key(row.title))
        if same is None or same in paired:
            waiting.append(row)
        else:
            paired[same] = row
    section_words = [words(section.title) for section in sections]

    def pair_unique(missing: int) -> None:
        progress = True
        while progress and waiting:
            progress = False
            for row in list(waiting):
                row_words = words(row.title)
                holders = [
                    index
                    for index, held in enumerate(section_words)
                    if index not in paired
                    and len(row_words & held) >= min(2, len(row_words))
                    and len(row_words - held) <= missing
                ]
                if row_words and len(holders) == 1:
                    paired[holders[0]] = row
                    waiting.remove(row)
                    progress = True

    pair_unique(missing=0)
    if 2 * (len(rows) - len(waiting)) >= len(rows):
        pair_unique(missing=1)
    return paired


def slugify(title: str) -> str:
    return "-".join(normalize_title(title).split())


def normalize_title(text: str) -> str:
    # Arrows, markup (*, _, `) and punctuation are all non-word characters, so one substitution
    # turns "**Login** -> `Store`" and "login → store" into the same "login store".
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _read_heading(heading: str) -> tuple[re.Match[str] | None, str | None]:
    """Return the match of a readable seam heading, or a problem for one that cannot be read."""
    heading = heading.strip()
    match = _SEAM_HEADING.match(heading)
    shown = heading if len(heading) <= 80 else heading[:77] + "..."
    if match and normalize_title(match["title"]):
        return match, None
    if match:
        return None, (
            f"seam heading {shown!r} has no title; write the seam after the separator, "
            "e.g. '### SEAM: API → Service → Database'."
        )
    like = _SEAM_LIKE.match(heading)
    if like and (like["label"] or like["tag"]):
        return None, (
            f"heading {shown!r} looks like a seam but has no ':' or '—' before its title; "
            "write e.g. '### SEAM 3: API → Service → Database'."
        )
    return None, None  # a bare "Seam" heading or "Seam inventory" is just a section


def _heading_seam(
    match: re.Match[str],
    body: Sequence[SyntaxTreeNode],
    path: str,
    line: int,
    section_priority: str | None,
    words: Mapping[str, str],
) -> PlanSeam:
    title = match["title"].strip()
    fields = list(_fields(body))

    def values(labels: tuple[str, ...]) -> list[tuple[str, list[str]]]:
        return [(value, items) for label, value, items in fields if label in labels]

    fields_priority = (
        _priority_of(f"priority {value or ' '.join(items)}", words)
        for value, items in values(_PRIORITY_LABELS)
    )
    priority = (
        next((p for p in fields_priority if p), None)
        or _bold_priority(body, words)
        or _priority_of(match["tag"] or "", words)
        or section_priority
    )

    ids = [_plain(v) for v, _ in values(_ID_LABELS) if _plain(v)]
    components = [p for v, i in values(_COMPONENT_LABELS)[:1] for p in (i or _split(v, True))]
    impacts = [v or " ".join(i) for v, i in values(_IMPACT_LABELS)]
    # A label followed by a list gives its items; "Scenarios: one line" gives that line.
    scenarios = [s for v, i in values(_SCENARIO_LABELS) for s in (i or [v]) if s]
    return PlanSeam(
        id=ids[0] if ids else slugify(title),
        title=title,
        priority=priority,
        components=[_plain(c) for c in components if _plain(c)] or _split(title, False),
        business_impact=next((i for i in impacts if i), None),
        scenarios=scenarios,
        test_files=_section_test_files(body, fields),
        plan=path,
        line=line,
        number=match["enum"] or (match["label"] if (match["label"] or "").isdigit() else None),
    )


def _table_seams(
    table: SyntaxTreeNode, path: str, section_priority: str | None, words: Mapping[str, str]
) -> Iterator[PlanSeam]:
    rows = list(_find(table, "tr"))
    if not rows:
        return
    header = [normalize_title(_text(cell.children)) for cell in rows[0].children]
    if not any(name in _SEAM_COLUMNS for name in header):
        return
    for row in rows[1:]:
        cells: dict[str, SyntaxTreeNode] = {}
        for name, node in zip(header, row.children, strict=False):
            cells.setdefault(name, node)  # the first of two same-named columns wins
        texts = {name: _text(node.children).strip() for name, node in cells.items()}
        title = _pick(texts, _SEAM_COLUMNS)
        labelled, _ = _read_heading(title)  # tolerate "SEAM 1: A → B" inside the cell
        title = labelled["title"].strip() if labelled else title
        if not normalize_title(title):
            continue  # an empty or decorative row names no seam
        status = _priority_of(_pick(texts, ("status",)), words)
        priority = _priority_of(f"priority {_pick(texts, _PRIORITY_LABELS)}", words)
        # An explicit deferral in the Status column outranks the planned priority.
        priority = "deferred" if status == "deferred" else priority or section_priority
        components = _split(_pick(texts, _COMPONENT_LABELS), True) or _split(title, False)
        files = [node for name, node in cells.items() if name in _TEST_FILE_COLUMNS]
        numbers = [texts[name] for name in _NUMBER_COLUMNS if texts.get(name, "").isdigit()]
        yield PlanSeam(
            id=_plain(_pick(texts, _ID_LABELS)) or slugify(title),
            title=title,
            priority=priority,
            components=components,
            business_impact=_pick(texts, _IMPACT_LABELS) or None,
            scenarios=[],
            test_files=_test_files(files),
            plan=path,
            line=_line(row),
            number=numbers[0] if numbers else None,
        )


def _pick(texts: Mapping[str, str], names: tuple[str, ...]) -> str:
    return next((texts[name] for name in names if name in texts), "")


def _unique(seams: list[PlanSeam], problems: list[PlanProblem]) -> list[PlanSeam]:
    # Later stages key seams by id, so a clash keeps the first seam and reports the second.
    seen: dict[str, PlanSeam] = {}
    for seam in seams:
        if seam.id not in seen:
            seen[seam.id] = seam
            continue
        message = (
            f"seam {seam.title!r} has the same id {seam.id!r} as the seam on line "
            f"{seen[seam.id].line}; it is ignored. Give it a distinct title or ID."
        )
        problems.append(PlanProblem(plan=seam.plan, line=seam.line, message=message))
    return list(seen.values())


def _body(blocks: Sequence[SyntaxTreeNode], start: int, level: int) -> Sequence[SyntaxTreeNode]:
    # A seam's body runs to the next heading of its level or above, or to the next seam heading.
    # (Indices, not a slice of the rest: copying the rest for every seam would be quadratic.)
    for end in range(start, len(blocks)):
        block = blocks[end]
        if block.type == "heading" and (
            int(block.tag[1]) <= level or any(_read_heading(_text(block.children)))
        ):
            return blocks[start:end]
    return blocks[start:]


def _fields(nodes: Sequence[SyntaxTreeNode]) -> Iterator[tuple[str, str, list[str]]]:
    """Yield (label, value, items) for every `Label: value` line and sub-heading in the body.

    A label with no value takes the lines after it in the same paragraph, or else the next block:
    the items of a list (``**Scenarios**:`` then ``- a``) or the text of a paragraph.
    """
    for node in nodes:
        if node.type in ("paragraph", "heading"):
            lines = _lines(node.children[0]) if node.children else []
            fields = [_field(line, heading=node.type == "heading") for line in lines]
            # Where the lines of each field end (at the next field), found in one backward pass:
            # a paragraph of many "Label:" lines must not be scanned again from every one.
            ends, end = [len(lines)] * len(lines), len(lines)
            for n in reversed(range(len(lines))):
                ends[n] = end
                if fields[n] is not None:
                    end = n
            for n, field in enumerate(fields):
                if field is None:
                    continue
                label, value = field
                items: list[str] = []
                if not value:
                    items = [text for x in lines[n + 1 : ends[n]] if (text := _text(x).strip())]
                    if not items and n == len(lines) - 1:
                        items = _block_items(node.next_sibling)
                yield label, value, items
        elif node.type not in ("fence", "code_block", "table", "html_block"):
            yield from _fields(node.children)


def _field(line: Sequence[SyntaxTreeNode], heading: bool) -> tuple[str, str] | None:
    nodes = [n for n in line if not (n.type == "text" and not n.content.strip())]
    # A bold label may carry its colon inside or outside: "**Priority**: P1", "**PRIORITY:** HIGH".
    if nodes and nodes[0].type == "strong":
        label, value = _text(nodes[0].children), _text(nodes[1:])
        if not label.rstrip().endswith(":"):
            value = value.lstrip().lstrip(":-\u2013\u2014")
    else:
        match = _FIELD.match(_text(line))
        if match is None and not heading:
            return None
        label, value = (match["label"], match["value"]) if match else (_text(line), "")
    label = normalize_title(re.sub(r"\([^)]*\)", "", label))
    return label, value.strip()


def _block_items(node: SyntaxTreeNode | None) -> list[str]:
    if node is None:
        return []
    if node.type in ("bullet_list", "ordered_list"):
        return [t for item in node.children if (t := _first_text(item))]
    return [t] if node.type == "paragraph" and (t := _first_text(node)) else []


def _first_text(node: SyntaxTreeNode) -> str:
    inline = next(_find(node, "inline"), None)
    return _text(inline.children).strip() if inline else ""


_BOLD_PRIORITY_LINES = 5
"""How many lines at the top of a seam's body may hold its bold priority line."""


def _bold_priority(body: Sequence[SyntaxTreeNode], words: Mapping[str, str]) -> str | None:
    # "**HIGH PRIORITY** - guards all private data", "**PRIORITY: MEDIUM**": a line that opens
    # with bold text naming a priority, among the first lines under the heading (a
    # "**STATUS: DONE**" line may come first).
    for line in _top_lines(body, _BOLD_PRIORITY_LINES):
        first = [n for n in line if n.type != "text" or n.content.strip()]
        if not first or first[0].type != "strong":
            continue
        bold = _upper(_text(first[0].children))
        if "PRIORITY" in bold or _EXPLICIT_P.fullmatch(bold.strip().rstrip(":")):
            return _priority_of(bold, words)
    return None


def _top_lines(body: Sequence[SyntaxTreeNode], count: int) -> Iterator[list[SyntaxTreeNode]]:
    """The first ``count`` lines of a body's leading paragraphs, as inline nodes."""
    for block in body:
        if block.type != "paragraph" or not block.children:
            return
        for line in _lines(block.children[0]):
            if count <= 0:
                return
            count -= 1
            yield line


def _priority_of(text: str, words: Mapping[str, str]) -> str | None:
    """Map "P1", "HIGH PRIORITY", "Priority 2: MEDIUM", "Deferred/Eliminated" to a priority.

    An explicit P0-P3 wins, then the first word from the table, then "Priority N" as PN.
    """
    text = _upper(text)
    if explicit := _EXPLICIT_P.search(text):
        return f"P{explicit[1]}"
    found: list[tuple[int, str]] = []
    for word, priority in words.items():
        if word not in text:  # the common case, without building and running a pattern
            continue
        # "high-level" and "low-level" describe architecture, not priority.
        pattern = rf"(?<![A-Z0-9']){re.escape(word)}(?![A-Z0-9'])(?![- ]LEVEL)"
        if hit := re.search(pattern, text):
            found.append((hit.start(), priority))
    if found:
        return min(found)[1]
    number = _PRIORITY_NUMBER.search(text)
    return f"P{number[1]}" if number else None


# Words a priority heading may carry besides its priority: "## Deferred Seams", "## High
# Priority Tests". Any other word makes it a heading about something else that merely contains
# a priority word: "## Critical Integration Points Identified", "## Critical Path Tests".
_PRIORITY_HEADING_WORDS = frozenset(
    {"PRIORITY", "PRIORITIES", "SEAM", "SEAMS", "TEST", "TESTS", "INTEGRATION", "INTEGRATIONS",
     "ITEMS", "AND", "OR", "TO", "HAVE"}
)  # fmt: skip


def _heading_priority(heading: str, words: Mapping[str, str]) -> str | None:
    """The priority a section heading sets for the seams under it, when it is a priority
    heading: it names P0-P3 (``## P0 - Must Have``, ``## Critical (P0)``), or says "Priority"
    (``### Priority 2: MEDIUM``, ``## Low-Priority Seams``), or is made of priority words and
    generic words only (``## Deferred``, ``## High``, ``## Deferred/Eliminated``)."""
    text = _upper(heading)
    if _EXPLICIT_P.search(text) or re.search(r"\bPRIORIT(?:Y|IES)\b", text):
        return _priority_of(heading, words)
    rest = re.sub(r"\([^)]*\)", " ", text)  # "(Critical Path)" qualifies, it does not name
    for word in sorted(words, key=len, reverse=True):
        rest = re.sub(rf"(?<![A-Z0-9']){re.escape(word)}(?![A-Z0-9'])", " ", rest)
    leftover = set(re.findall(r"[A-Z0-9']+", rest)) - _PRIORITY_HEADING_WORDS
    if leftover and not all(word.isdigit() for word in leftover):
        return None
    return _priority_of(heading, words)


def _section_priority(sections: Sequence[tuple[int, str | None]]) -> str | None:
    return next((p for _, p in reversed(sections) if p), None)


def _section_test_files(
    body: Sequence[SyntaxTreeNode], fields: Sequence[tuple[str, str, list[str]]]
) -> list[str]:
    """The test files a seam's section names as its own: in a location field ("**Test file**:
    `test_x.py`"), in a "# File: path" line of a fenced block, or in a file tree. A file
    mentioned in prose ("add cases to the existing `test_x.py`") is not the seam's."""
    found: dict[str, None] = {}  # ordered set
    for label, value, items in fields:
        if label in _TEST_FILE_COLUMNS:
            found.update(dict.fromkeys(_PY_PATH.findall(" ".join([value, *items]))))
    for node in _walk(body):
        if node.type in ("fence", "code_block"):
            found.update(dict.fromkeys(_FILE_COMMENT.findall(node.content)))
            if any(mark in node.content for mark in _TREE_MARKS):
                found.update(dict.fromkeys(_PY_PATH.findall(node.content)))
    return list(found)


def _walk(nodes: Sequence[SyntaxTreeNode]) -> Iterator[SyntaxTreeNode]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _test_files(nodes: Sequence[SyntaxTreeNode]) -> list[str]:
    found: dict[str, None] = {}  # ordered set
    for node in nodes:
        if node.type in ("text", "code_inline"):
            found.update(dict.fromkeys(_PY_PATH.findall(node.content)))
        elif node.type not in ("fence", "code_block", "html_block"):
            found.update(dict.fromkeys(_test_files(node.children)))
    return list(found)


def _split(text: str, commas: bool) -> list[str]:
    """Split on arrows (and commas/semicolons) outside code spans and brackets."""
    parts, start, depth, code, i = [], 0, 0, False, 0
    while i < len(text):
        char = text[i]
        # An arrow cannot start inside a run of "-" or "=" whose start did not start one; not
        # trying there keeps a long run (a "----" rule in a title) linear.
        inside_run = i > 0 and char in "-=" and text[i - 1] == char
        arrow = _ARROW.match(text, i) if not code and depth == 0 and not inside_run else None
        if char == "`":
            code = not code
        elif not code and char in "([{":
            depth += 1
        elif not code and char in ")]}":
            depth = max(0, depth - 1)
        elif arrow or (not code and depth == 0 and commas and char in ",;"):
            parts.append(text[start:i])
            i = start = arrow.end() if arrow else i + 1
            continue
        i += 1
    parts.append(text[start:])
    return [p for p in (_plain(p) for p in parts) if p]


def _lines(inline: SyntaxTreeNode) -> list[list[SyntaxTreeNode]]:
    lines: list[list[SyntaxTreeNode]] = [[]]
    for child in inline.children:
        if child.type in ("softbreak", "hardbreak"):
            lines.append([])
        else:
            lines[-1].append(child)
    return lines


def _text(nodes: Sequence[SyntaxTreeNode]) -> str:
    """Plain text of inline nodes: emphasis and links dropped, code spans kept with backticks."""
    parts: list[str] = []
    for node in nodes:
        if node.type == "text":
            parts.append(node.content.translate(_ONE_LINE))
        elif node.type == "code_inline":
            parts.append(f"`{node.content.translate(_ONE_LINE)}`")
        elif node.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif node.type != "html_inline":
            parts.append(_text(node.children))
    return "".join(parts)


# Control characters become spaces in all text read from a plan: an entity such as "&#10;" in
# a heading or cell decodes to a newline, and titles, ids and fields are one-line text.
# Bidirectional overrides go too: they can make a title display as something else.
_ONE_LINE = dict.fromkeys(
    (
        *range(0x20),
        *range(0x7F, 0xA0),
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ),
    " ",
)


def _plain(text: str) -> str:
    return " ".join(text.replace("`", "").split())


def _upper(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").upper().split())


def _find(node: SyntaxTreeNode, kind: str) -> Iterator[SyntaxTreeNode]:
    if node.type == kind:
        yield node
        return
    for child in node.children:
        yield from _find(child, kind)


def _line(node: SyntaxTreeNode) -> int:
    return node.map[0] + 1 if node.map else 1
