"""The JSON report: the Report model itself. Its schema is docs/report.schema.json."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from pytest_seams.model import Report, adapter
from pytest_seams.report import without_surrogates


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
        plain = _surrogates_escaped(dataclasses.asdict(report))
        return to_json(plain, indent=2).decode() + "\n"


def _surrogates_escaped(value: Any) -> Any:
    """``value`` (``asdict`` of the report: dicts, tuples, lists and scalars) with every
    surrogate of every string and key escaped. A file name's non-UTF-8 byte reaches Python as
    a lone surrogate, which JSON text cannot hold: written "\\xff", as the other reports show it."""
    if isinstance(value, str):
        return without_surrogates(value)
    if isinstance(value, (list, tuple)):
        return [_surrogates_escaped(item) for item in value]
    if isinstance(value, dict):
        return {_surrogates_escaped(key): _surrogates_escaped(item) for key, item in value.items()}
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
