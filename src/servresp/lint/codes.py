"""The finding codes of `servresp check`, and `Issue`: a finding relative to one model object.

A check knows nothing of files or lines (STYLE habit 4): it names the object (its kind and
id) and the field, and `servresp.lint` turns that into ``file:line: path``. Every code is
listed in `CODES` and documented in ``docs/check.md``.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["CODES", "Code", "Issue", "Severity"]


class Severity(enum.StrEnum):
    """How bad a finding is: errors fail ``check``; warnings only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen
class Code:
    """A stable finding code and what it means."""

    code: str
    """``SR1xx`` structure, ``SR2xx`` the five requirements of a service standard (S3)."""
    severity: Severity
    """Its usual severity (the feasibility codes turn to warnings on aspirations)."""
    title: str
    """One line: what the code means."""


CODES: Mapping[str, Code] = {c.code: c for c in (
    Code("SR000", Severity.ERROR, "the rules folder cannot be loaded (the message says where and why)"),
    Code("SR100", Severity.ERROR, "a reference names no unit, duty or promise of the model"),
    Code("SR101", Severity.ERROR, "a duty has no responsible unit"),
    Code("SR102", Severity.WARNING, "a unit owns no duty"),
    Code("SR103", Severity.ERROR, "a duty reaches no promise"),
    Code("SR104", Severity.ERROR, "duties support each other in a cycle"),
    Code("SR105", Severity.ERROR, "a standard measures no promise of the model"),
    Code("SR106", Severity.ERROR, "a promise has no standard that can be breached"),
    Code("SR107", Severity.ERROR, "a rule reads a metric or event that nothing declares"),
    Code("SR108", Severity.WARNING, "a signal is declared but nothing reads it"),
    Code("SR109", Severity.ERROR, "a team has no members"),
    Code("SR110", Severity.ERROR, "consulted or informed names the accountable unit again"),
    Code("SR111", Severity.WARNING, "a duty that no fact can implicate (no standard, no rule)"),
    Code("SR112", Severity.WARNING, "a unit that can never take a share of a trace"),
    Code("SR130", Severity.ERROR, "a gate asks for more failing suppliers than there are"),
    Code("SR131", Severity.ERROR, "a barrier depends on the duty it catches"),
    Code("SR201", Severity.ERROR, "explicit: a standard needs a text and a declared metric"),
    Code("SR202", Severity.ERROR, "measurable: a number and a comparator the metric can meet"),
    Code("SR203", Severity.WARNING, "feasible: the target demands perfection"),
    Code("SR204", Severity.ERROR, "feasible: the target is too far from the baseline"),
    Code("SR205", Severity.ERROR, "timely: a standard needs a time window"),
    Code("SR206", Severity.WARNING, "aligned: no duty serving it works toward its promise"),
)}
"""Every finding code, by code."""

@attrs.frozen
class Issue:
    """A finding relative to one model object; `servresp.lint` adds the file and line."""

    code: str
    """A key of `CODES`."""
    kind: str
    """``unit``, ``duty``, ``promise``, ``standard``, ``rule`` or ``signal``."""
    subject: str
    """The object's id (a signal's name)."""
    field: str
    """The field inside the object, e.g. ``raci.responsible`` or ``supports[1]``; may be empty."""
    message: str
    """What is wrong."""
    hint: str = ""
    """How to fix it."""
    severity: Severity | None = None
    """Overrides the code's usual severity (aspirations)."""
