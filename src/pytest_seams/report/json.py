"""The JSON report: the Report model itself. Its schema is docs/report.schema.json."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from pytest_seams.model import Report, adapter


def render_json(report: Report) -> str:
    """The report as JSON: what ``adapter(Report).dump_json`` writes, without building it.

    pydantic_core serialises the dataclasses field by field, exactly as the adapter does for
    this model (a test holds them equal); building the adapter costs more than a warm
    session's whole work, so it is left to the JSON Schema and to validation.
    """
    from pydantic_core import PydanticSerializationError, to_json

    try:
        return to_json(report, indent=2).decode() + "\n"
    except PydanticSerializationError:  # a lone surrogate: a non-UTF-8 file name, most likely
        plain = _without_surrogates(dataclasses.asdict(report))
        return to_json(plain, indent=2).decode() + "\n"


# A file name's non-UTF-8 byte 0x80-0xff reaches Python as a lone surrogate (surrogateescape),
# which JSON text cannot hold: it is written as the four characters "\xff", as the terminal,
# Markdown and HTML reports show it. Any other lone surrogate is written as "\udXXX".
_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def _without_surrogates(value: Any) -> Any:
    """``value`` (``asdict`` of the report: dicts, tuples, lists and scalars) with every
    surrogate of every string and key escaped."""
    if isinstance(value, str):
        return _SURROGATE.sub(_surrogate_escape, value)
    if isinstance(value, (list, tuple)):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_surrogates(key): _without_surrogates(item) for key, item in value.items()}
    return value


def report_schema() -> dict[str, Any]:
    schema: dict[str, Any] = adapter(Report).json_schema(mode="serialization")
    _one_line_descriptions(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "pytest-seams report"
    return schema


def render_schema() -> str:
    return json.dumps(report_schema(), indent=2, sort_keys=True) + "\n"


def _one_line_descriptions(node: object) -> None:
    """Descriptions come from attribute docstrings, wrapped in the source: unwrap them."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                node[key] = " ".join(value.split())
            else:
                _one_line_descriptions(value)
    elif isinstance(node, list):
        for value in node:
            _one_line_descriptions(value)
