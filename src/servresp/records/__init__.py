"""The records stage: raw service records → metric facts, and the monthly standards report.

- `servresp.records.types`: the record types and their exact definitions (docs/records.md);
- `servresp.records.reader`: read CSV and JSONL records, each bad row rejected with its place;
- `servresp.records.indicators`: count records into metric facts per period;
- `servresp.records.monthly`: the standards report (``servresp.report/1``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from servresp._lazy import lazy_exports
from servresp.records.indicators import (
    DEFAULT_MIN_COUNT,
    EVERY,
    Indicator,
    Indicators,
    RecordEvent,
    compute,
    indicators_from_files,
    period_label,
    terminal_progress,
    zone,
)
from servresp.records.reader import (
    RECORD_TYPES,
    Located,
    Progress,
    Record,
    RecordError,
    RecordSet,
    iter_records,
    read_records,
    type_from_name,
)

if TYPE_CHECKING:
    from servresp.records.monthly import (
        MonthlyReport,
        OwnerShare,
        PromiseLine,
        StandardLine,
        build_monthly,
        previous_period,
        render_json,
        report_to_dict,
    )

__all__ = [
    "DEFAULT_MIN_COUNT",
    "EVERY",
    "RECORD_TYPES",
    "Indicator",
    "Indicators",
    "Located",
    "MonthlyReport",
    "OwnerShare",
    "Progress",
    "PromiseLine",
    "Record",
    "RecordError",
    "RecordEvent",
    "RecordSet",
    "StandardLine",
    "build_monthly",
    "compute",
    "indicators_from_files",
    "iter_records",
    "period_label",
    "previous_period",
    "read_records",
    "render_json",
    "report_to_dict",
    "terminal_progress",
    "type_from_name",
    "zone",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "MonthlyReport": "servresp.records.monthly",
    "OwnerShare": "servresp.records.monthly",
    "PromiseLine": "servresp.records.monthly",
    "StandardLine": "servresp.records.monthly",
    "build_monthly": "servresp.records.monthly",
    "previous_period": "servresp.records.monthly",
    "render_json": "servresp.records.monthly",
    "report_to_dict": "servresp.records.monthly",
}, __all__)
