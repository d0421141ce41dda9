"""servresp.records.types: one row → one typed record, or a `RowError` naming the field."""

import datetime as dt

import pytest

from servresp.records.types import RowError, parse_row


def test_row_error_text_is_field_then_message() -> None:
    """`str` of a RowError reads ``field: message``; the parts stay available as data."""
    with pytest.raises(RowError) as caught:
        parse_row("calls", {"received_at": "2026-10-01T09:00:00Z",
                            "answered_at": "2026-10-01T09:00:05Z", "rings": "two"}, dt.UTC)
    assert str(caught.value) == "rings: expected a whole number ≥ 0, found 'two'"
    assert (caught.value.field, caught.value.hint) == ("rings", "")
