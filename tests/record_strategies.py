"""Hypothesis strategies for raw service records: the truth of each record type, and its rows.

Shared by the indicators tests and the watch tests, which compare against a direct count.
"""

import csv
import datetime as dt
import json
import zoneinfo
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from servresp.records.indicators import EVERY

ZONES = ("UTC", "Europe/Berlin", "Asia/Shanghai", "America/New_York")
START = dt.datetime(2026, 9, 28, tzinfo=dt.UTC)
"""Generated moments fall within six weeks of this: two month ends, Berlin's and New York's DST ends."""
MINUTES = 6 * 7 * 24 * 60


# --------------------------------------------------------------------------- generated records


def _moments() -> st.SearchStrategy[dt.datetime]:
    return st.integers(0, MINUTES).map(lambda m: START + dt.timedelta(minutes=m))


def _delays() -> st.SearchStrategy[int | None]:
    """Minutes; the exact limits (48 h, 72 h) and one minute either side come up often."""
    edges = [0, 47 * 60, 48 * 60 - 1, 48 * 60, 48 * 60 + 1, 72 * 60 - 1, 72 * 60, 72 * 60 + 1]
    return st.none() | st.sampled_from(edges) | st.integers(0, 5 * 24 * 60)


def _stamp(moment: dt.datetime, tz: zoneinfo.ZoneInfo, style: int) -> str:
    """Write ``moment`` as UTC, with the zone's offset, or naive local time when that is unambiguous."""
    local = moment.astimezone(tz)
    if style == 0:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    naive = local.replace(tzinfo=None)
    if style == 2 and naive.replace(tzinfo=tz) == moment:
        return naive.isoformat(sep=" ")
    return local.isoformat()


@st.composite
def record_sets(draw: st.DrawFn) -> dict[str, Any]:
    """Draw a zone, a period length and the truth of each record type (not its text)."""
    tz = draw(st.sampled_from(ZONES))
    calls = draw(st.lists(st.tuples(_moments(), st.none() | st.integers(0, 6)), max_size=25))
    repairs = draw(st.lists(st.tuples(_moments(), _delays(), st.booleans(), st.booleans()), max_size=15))
    feedback = draw(st.lists(st.tuples(_moments(), _delays(), _delays()), max_size=15))
    deliveries = draw(st.lists(st.tuples(st.sampled_from(["s1", "s2"]), _moments(),
                                         st.none() | st.sampled_from([0, -1, 1]) | st.integers(-600, 600),
                                         st.booleans()), max_size=15))
    counters = draw(st.lists(st.tuples(st.integers(0, 41), st.booleans(), st.integers(0, 5),
                                       st.integers(0, 5)), max_size=12))
    complaints = draw(st.lists(st.tuples(_moments(), st.booleans(), st.booleans()), max_size=10))
    return {"tz": tz, "every": draw(st.sampled_from(EVERY)), "calls": calls, "repairs": repairs,
            "feedback": feedback, "deliveries": deliveries,
            "counters": [(d, p, min(o, t + 1), t + 1) for d, p, o, t in counters],
            "complaints": complaints, "styles": draw(st.lists(st.integers(0, 2), min_size=7, max_size=7)),
            "csv": draw(st.lists(st.booleans(), min_size=7, max_size=7))}


def _rows(truth: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    tz = zoneinfo.ZoneInfo(truth["tz"])
    styles = iter(truth["styles"])
    rows: dict[str, list[dict[str, Any]]] = {}
    style = next(styles)
    rows["calls"] = [
        {"received_at": _stamp(at, tz, style), "abandoned": "true"} if ring is None else
        {"received_at": _stamp(at, tz, style), "rings": str(ring),
         "answered_at": _stamp(at + dt.timedelta(seconds=30), tz, style)}
        for at, ring in truth["calls"]]
    style = next(styles)
    rows["repairs"] = []
    for at, delay, inside, special in truth["repairs"]:
        row = {"opened_at": _stamp(at, tz, style), "inside_service_area": "yes" if inside else "no",
               "special_case": "1" if special else "0"}
        if delay is not None:
            row["closed_at"] = _stamp(at + dt.timedelta(minutes=delay), tz, style)
        rows["repairs"].append(row)
    style = next(styles)
    rows["feedback"] = []
    for at, reply, solved in truth["feedback"]:
        row = {"received_at": _stamp(at, tz, style)}
        if reply is not None:
            row["first_reply_at"] = _stamp(at + dt.timedelta(minutes=reply), tz, style)
        if solved is not None:
            row["solved_at"] = _stamp(at + dt.timedelta(minutes=solved), tz, style)
        rows["feedback"].append(row)
    style = next(styles)
    rows["deliveries"] = []
    for supplier, due, late, rejected in truth["deliveries"]:
        row = {"supplier": supplier, "due_at": _stamp(due, tz, style), "rejected": str(rejected).lower()}
        if late is not None:
            row["delivered_at"] = _stamp(due + dt.timedelta(minutes=late), tz, style)
        rows["deliveries"].append(row)
    rows["counters"] = [{"date": (START.date() + dt.timedelta(days=d)).isoformat(),
                         "peak_day": str(peak).lower(), "open": str(o), "total": str(t)}
                        for d, peak, o, t in truth["counters"]]
    style = next(styles)
    rows["complaints"] = [{"received_at": _stamp(at, tz, style), "customer": "c",
                           "escalated": str(esc).lower(), "handled_with_authority": str(auth).lower()}
                          for at, esc, auth in truth["complaints"]]
    days = [START.date() - dt.timedelta(days=2) + dt.timedelta(days=i) for i in range(48)]
    rows["customers"] = [{"period": d.isoformat(), "served": str(10 + d.day)} for d in days]
    return rows


def _write_rows(folder: Path, rows: dict[str, list[dict[str, Any]]], as_csv: list[bool]) -> list[str]:
    paths = []
    for (type_, items), use_csv in zip(sorted(rows.items()), as_csv, strict=True):
        if use_csv:
            path = folder / f"{type_}.csv"
            fields = sorted({k for row in items for k in row})
            with path.open("w", encoding="utf-8", newline="") as stream:
                writer = csv.DictWriter(stream, fieldnames=fields or ["empty"])
                writer.writeheader()
                writer.writerows(items)
        else:
            path = folder / f"2026-{type_}.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in items), encoding="utf-8")
        paths.append(str(path))
    return paths
