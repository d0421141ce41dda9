"""The one error tree of servresp, and `Problem`: a located message that says what to fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import attrs

from servresp._value import OrderedValue
from servresp.i18n import gettext as _

__all__ = [
    "EngineError",
    "FactError",
    "FaultTreeError",
    "ModelError",
    "Problem",
    "ServrespError",
    "UnknownIdError",
    "did_you_mean",
]


@attrs.frozen(repr=False, eq=False)  # OrderedValue: attrs' repr, ==, hash and order=True
class Problem(OrderedValue):
    """One thing wrong with an input, where it is and how to fix it."""

    file: str
    """The file name as given by the caller (never made absolute)."""
    line: int
    """1-based line number; 0 when the problem concerns the file as a whole."""
    path: str
    """Dotted path of the field, e.g. ``duties[2].raci.accountable``; empty for the file."""
    message: str
    """What is wrong."""
    hint: str = ""
    """How to fix it, when there is something useful to say."""

    def __str__(self) -> str:
        """Format as ``file:line: path: message (hint)``."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.path}:" if self.path else ""
        hint = _(" ({hint})").format(hint=self.hint) if self.hint else ""
        return f"{where}:{field} {self.message}{hint}"


class ServrespError(Exception):
    """Root of every error servresp raises on bad input."""


class ModelError(ServrespError):
    """A rules folder that cannot be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        """Keep the problems sorted by (file, line) so the message is stable."""
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class FactError(ServrespError):
    """Facts that cannot be evaluated at all; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        """Keep the problems in input order."""
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownIdError(ServrespError, KeyError):
    """An id that names nothing in the model; ``id`` is the id, ``kind`` what it should be."""

    def __init__(self, kind: str, id_: str, known: Iterable[str]) -> None:
        """Build the message with a did-you-mean suggestion from ``known``."""
        self.kind = kind
        self.id = id_
        self.message = _("unknown {kind} {id}{did_you_mean}").format(kind=_(kind), id=repr(id_),
                                                                    did_you_mean=did_you_mean(id_, known))
        super().__init__(self.message)

    def __str__(self) -> str:
        """Return the message without KeyError's quoting."""
        return self.message


class EngineError(ServrespError):
    """durable_rules refused a ruleset or a message; the text says which and why."""


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest known name, or ``""``."""
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return _("; did you mean {name}?").format(name=repr(close[0])) if close else ""


class FaultTreeError(ServrespError):
    """A fault tree that cannot be analysed (an MEF file, a barrier cycle); ``problems`` says why."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        """Keep the problems sorted by (file, line) so the message is stable."""
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))
