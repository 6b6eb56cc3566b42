"""The record's JSON Schema: generated from the types, printed by `onrecord schema`, and
binding on every record (conftest.py checks each record the suite makes).
Records come from the reference article and made-up texts."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from onrecord.cli import main
from onrecord.model import Record
from onrecord.schema import record_schema


def test_onrecord_schema_prints_a_valid_json_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    Draft202012Validator.check_schema(schema)
    assert schema == json.loads(json.dumps(record_schema()))
    record = schema["$defs"]["Record"]
    # the fields evaluation relies on (../shared/SCHEMA.md) are all there and required
    for key in ("id", "published", "text", "entities", "quotes", "timexes", "claims", "events", "problems"):
        assert key in record["properties"] and key in record["required"]
    assert set(schema["$defs"]["Quote"]["properties"]["kind"]["enum"]) == {"direct", "indirect", "mixed"}


def test_the_reference_record_fits_and_reads_back(seed_record: dict, record_validator: Draft202012Validator) -> None:
    record_validator.validate(seed_record)
    typed = Record.from_dict(seed_record)
    assert typed.to_dict() == seed_record  # JSON -> types -> JSON loses nothing
    assert typed.quotes and typed.quotes[0].speaker.name


def test_records_that_break_the_schema_are_caught(seed_record: dict, record_validator: Draft202012Validator) -> None:
    broken = json.loads(json.dumps(seed_record))
    broken["quotes"][0]["kind"] = "rumoured"
    assert not record_validator.is_valid(broken)
    del broken["quotes"][0]["kind"]
    assert not record_validator.is_valid(broken)
    with pytest.raises(ValueError, match="not an onrecord record"):
        Record.from_dict(broken)
    assert record_validator.is_valid({"id": "a7", "error": "line 7 is not valid JSON"})


def test_records_are_frozen(seed_record: dict) -> None:
    typed = Record.from_dict(seed_record)
    with pytest.raises(AttributeError):
        typed.quotes = ()  # type: ignore[misc]
    assert replace(typed, id="other").id == "other" and typed.id == seed_record["id"]
