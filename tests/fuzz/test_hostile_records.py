"""Hostile record files: every row is a record or a located problem; nothing else escapes."""

import pytest
from hypothesis import given

from hostile import CASES, record_file
from servresp.records.indicators import indicators_from_files
from servresp.records.reader import RecordError


@given(file=record_file())
def test_record_files_give_records_or_problems_only(tmp_path_factory: pytest.TempPathFactory,
                                                    file: tuple[str, bytes]) -> None:
    """Indicators on a hostile file: metrics and one-line problems, or one RecordError."""
    CASES["records: indicators of a hostile records file"] += 1
    name, content = file
    path = tmp_path_factory.mktemp("records") / name
    path.write_bytes(content)
    try:
        result = indicators_from_files([path, path], min_count=1)
    except RecordError:
        return
    assert all("\n" not in message for message in result.messages())
    assert result.to_jsonl() == indicators_from_files([path], min_count=1).to_jsonl()  # read once
