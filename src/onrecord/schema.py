"""The record's JSON Schema, generated from the types in model.py, and records read back into them.

pydantic (already installed with spaCy) reads the frozen dataclasses as they are: the schema
is derived, never written by hand, so it cannot drift from the types. ``onrecord schema``
prints it; the test suite validates every record it produces against it.

Two forms are published: the record of one article, and the error record that stands in its
place when the article could not be processed (``{"id", "error"}``). Both allow the input's
own extra fields (title, url, ...) at the top level, as ``Record.to_dict()`` writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from . import __version__
from .model import Record

SCHEMA_ID = "https://pypi.org/project/onrecord/schema/record.json"


@cache
def _adapter() -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(Record)


def read_record(data: Mapping[str, Any]) -> Record:
    """A Record from its JSON form; top-level keys that are no field of Record go to ``meta``."""
    from pydantic import ValidationError

    fields = set(Record.__dataclass_fields__)
    given = {k: v for k, v in data.items() if k in fields and k != "meta"}
    meta = {k: v for k, v in data.items() if k not in fields}
    try:
        record: Record = _adapter().validate_python({**given, "meta": meta})
    except ValidationError as err:
        raise ValueError(f"not an onrecord record: {err}") from None
    return record


def _strip_titles(node: Any) -> Any:
    # pydantic titles every property with its name capitalised: noise in a published schema
    if isinstance(node, dict):
        return {k: _strip_titles(v) for k, v in node.items() if not (k == "title" and isinstance(v, str))}
    if isinstance(node, list):
        return [_strip_titles(v) for v in node]
    return node


@cache
def record_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of what ``onrecord extract`` prints, one record or an error record."""
    generated = _adapter().json_schema(mode="serialization", ref_template="#/$defs/{model}")
    defs = _strip_titles(generated.pop("$defs", {}))
    record = _strip_titles(generated)
    record["properties"].pop("meta", None)  # written as the record's own top-level keys
    record["additionalProperties"] = True
    # every key is always written (model.py): the JSON form requires all of them
    for node in [record, *defs.values()]:
        if node.get("type") == "object" and "properties" in node:
            node["required"] = sorted(node["properties"])
    record["description"] = "One article's record: its text and everything found in it, with offsets into the text."
    defs["Record"] = record
    defs["ErrorRecord"] = {
        "type": "object",
        "description": "An article that could not be processed: its id and what went wrong.",
        "properties": {"id": {"type": ["string", "integer", "null"]}, "error": {"type": "string"}},
        "required": ["error", "id"],
        "additionalProperties": True,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"onrecord record (onrecord {__version__})",
        "oneOf": [{"$ref": "#/$defs/Record"}, {"$ref": "#/$defs/ErrorRecord"}],
        "$defs": defs,
    }
