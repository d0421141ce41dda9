"""S3's integration scorecard (并肩作战, six points), computed from the model.

Each point is met or not met, with evidence: the duties, paths and roles that show it, or
what is missing. The model holds responsibilities, not behaviour, so each point is read
through the structure that makes the behaviour possible (see ``docs/check.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import networkx as nx

from servresp.i18n import N_
from servresp.i18n import gettext as _
from servresp.lint.checks import reached_duties
from servresp.model.classes import UnitKind

if TYPE_CHECKING:
    from collections.abc import Callable

    from servresp.model.classes import Model

__all__ = ["CUSTOMER_SERVICE", "TOP_MANAGEMENT", "ScorePoint", "scorecard"]

CUSTOMER_SERVICE = "customer_service"
"""The unit whose customer information must reach everyone (S4 §(二)3, S3)."""
TOP_MANAGEMENT = "top_management"
"""The tier that front-line knowledge must reach (S3 客户服务应该得到强力支持)."""


@attrs.frozen
class ScorePoint:
    """One point of S3's scorecard: met or not, and the evidence."""

    point: int
    """The point's number in S3, 1 to 6."""
    key: str
    """A stable name, e.g. ``cross_department_team``."""
    title: str
    """What the model must show, in plain words."""
    quote: str
    """The point as S3 words it."""
    met: bool
    """Whether the model shows it."""
    evidence: tuple[str, ...]
    """One line per department, promise or duty looked at: what shows it, or what is missing."""


class _Facts:
    """What several points need, computed once, with indexes so that no point loops twice."""

    def __init__(self, model: Model, reached: dict[str, set[str]] | None) -> None:
        self.model = model
        self.reached = reached_duties(model) if reached is None else reached
        """Promise → duties that reach it."""
        self.departments = tuple(u.id for u in model.units.values() if u.kind is UnitKind.DEPARTMENT)
        """Department ids, in the model's order."""
        self.department_set = frozenset(self.departments)
        self._promises: dict[str, list[str]] = {}
        for promise, duties in sorted(self.reached.items()):
            for reaching in duties:
                self._promises.setdefault(reaching, []).append(promise)
        self._owned: dict[str, list[str]] = {}
        for duty in model.duties.values():
            self._owned.setdefault(duty.owner, []).append(duty.id)

    def promises_of(self, duty: str) -> list[str]:
        """Return the promises ``duty`` reaches, sorted."""
        return self._promises.get(duty, [])

    def owned_by(self, unit: str) -> list[str]:
        """Return the duties ``unit`` owns, in the model's order."""
        return self._owned.get(unit, [])


_Lines = list[tuple[bool, str]]
"""Evidence lines, each with whether it shows the point."""


def scorecard(model: Model, *, reached: dict[str, set[str]] | None = None) -> tuple[ScorePoint, ...]:
    """Return S3's six integration points, in S3's order (``reached``: `reached_duties`, if known)."""
    facts = _Facts(model, reached)
    points = []
    for number, (key, title, quote, check) in enumerate(_POINTS, start=1):
        lines, empty = check(facts)
        met = bool(lines) and all(ok for ok, _ in lines)
        evidence = tuple(text for _, text in lines) or (empty,)
        points.append(ScorePoint(number, key, _(title), quote, met, evidence))
    return tuple(points)


def _departments_reach(facts: _Facts) -> tuple[_Lines, str]:
    lines = []
    for dept in facts.departments:
        found = [(d, facts.promises_of(d)) for d in facts.owned_by(dept) if facts.promises_of(d)]
        lines.append((True, _("{unit}: {duty} reaches {promises}").format(
                          unit=dept, duty=found[0][0], promises=", ".join(found[0][1]))) if found
                     else (False, _("{unit}: no duty of its own reaches a promise").format(unit=dept)))
    return lines, _("the model has no departments")


def _information_flows(facts: _Facts) -> tuple[_Lines, str]:
    model = facts.model
    if CUSTOMER_SERVICE not in model.units:
        return [], _("the model has no {unit} unit").format(unit=repr(CUSTOMER_SERVICE))
    view = model.supports
    sources = facts.owned_by(CUSTOMER_SERVICE)
    paths = [path for source in sources if source in view
             for path in nx.single_source_shortest_path(view, source).values()]
    targets = [d for d in facts.departments if d != CUSTOMER_SERVICE]
    targets += [TOP_MANAGEMENT] if TOP_MANAGEMENT in model.units else []
    lines = []
    for unit in targets:
        to_unit = sorted((p for p in paths if len(p) > 1 and _owner(model, p[-1]) == unit),
                         key=lambda p: (len(p), p))
        told = [s for s in sources if unit in model.duties[s].raci.informed]
        if to_unit:
            lines.append((True, f"{unit}: {' → '.join(to_unit[0])}"))
        elif told:
            lines.append((True, _("{unit}: informed on {duty}").format(unit=unit, duty=told[0])))
        else:
            missing = _("{unit}: no supports path from a {source} duty, nor informed on one").format(
                unit=unit, source=CUSTOMER_SERVICE)
            lines.append((False, missing))
    return lines, _("{unit} has no duty").format(unit=repr(CUSTOMER_SERVICE))


def _owner(model: Model, node: str) -> str | None:
    duty = model.duties.get(node)
    return duty.owner if duty is not None else None


def _team(facts: _Facts) -> tuple[_Lines, str]:
    lines = []
    for team in (u for u in facts.model.units.values() if u.kind is UnitKind.TEAM):
        depts = [m for m in team.members if m in facts.departments]
        shared = [d for d in facts.owned_by(team.id) if facts.promises_of(d)]
        text = _("{team}: {count} departments ({departments})").format(
            team=team.id, count=len(depts), departments=", ".join(depts) or _("none"))
        text += (_("; shares {duty}").format(duty=shared[0]) if shared
                 else _("; owns no duty that reaches a promise"))
        lines.append((len(depts) >= 2 and bool(shared), text))
    return [line for line in lines if line[0]] or lines, _("the model has no team")


def _consult_before_change(facts: _Facts) -> tuple[_Lines, str]:
    depts = set(facts.departments)
    if not depts:
        return [], _("the model has no departments")
    duties = facts.model.duties
    missing: dict[str, int] = {}  # duty → how many departments it does not hear
    for duty in duties.values():
        heard = {*duty.raci.consulted, duty.raci.accountable, *duty.raci.responsible}
        missing[duty.id] = len(depts) - len(depts & heard)
    if not missing:
        return [], _("the model has no duties")
    everyone = [d for d, absent in missing.items() if not absent]
    if everyone:
        return [(True, _("{duty}: all {count} departments are consulted or hold it").format(
                    duty=d, count=len(depts))) for d in everyone], ""
    closest = min(missing, key=lambda d: (missing[d], d))
    raci = duties[closest].raci
    absent = sorted(depts - {*raci.consulted, raci.accountable, *raci.responsible})
    return [(False, _("closest is {duty}; not consulted: {units}").format(
        duty=closest, units=", ".join(absent)))], ""


def _departments_talk(facts: _Facts) -> tuple[_Lines, str]:
    depts = facts.department_set
    heard: dict[str, tuple[str, str]] = {}  # department → its first (role, duty), sorted
    for d in facts.model.duties.values():
        if d.owner not in depts:
            continue
        for role in ("consulted", "informed"):
            for dept in getattr(d.raci, role):
                if dept != d.owner and dept in depts:
                    heard[dept] = min(heard.get(dept, (role, d.id)), (role, d.id))
    lines = []
    for dept in facts.departments:
        first = heard.get(dept)
        lines.append((True, _("{unit}: {role} on {duty}").format(unit=dept, role=_(first[0]), duty=first[1]))
                     if first
                     else (False, _("{unit}: not consulted or informed by another department").format(
                         unit=dept)))
    return lines, _("the model has no departments")


def _shared_promises(facts: _Facts) -> tuple[_Lines, str]:
    lines = []
    for promise, duties in sorted(facts.reached.items()):
        owners = sorted({facts.model.duties[d].owner for d in duties} & facts.department_set)
        listed = f" ({', '.join(owners)})" if owners else ""
        lines.append((len(owners) >= 2, _("{promise}: {count} departments share it{listed}").format(
            promise=promise, count=len(owners), listed=listed)))
    return lines, _("the model has no promises")


_POINTS: tuple[tuple[str, str, str, Callable[[_Facts], tuple[_Lines, str]]], ...] = (
    ("departments_reach_promises",
     N_("every department holds a duty that reaches a customer promise"),
     "企业的每个部门都明确了解客户的需求", _departments_reach),
    ("customer_information_flows",
     N_("customer information flows from customer_service to every department and top management"),
     "客户服务体系不是各部门条块分割,而是各部门有机结合、相互协调的体系", _information_flows),
    ("cross_department_team",
     N_("a team of two or more departments shares a duty that reaches a promise"),
     "各部门员工组成工作小组共同担负责任,确保客户满意", _team),
    ("consult_before_change",
     N_("a duty consults every department before a policy or procedure changes"),
     "如果政策或者程序发生了变化,先要征求各部门的意见是否会给客户带来影响",
     _consult_before_change),
    ("departments_communicate",
     N_("every department is consulted or informed on another department's duty"),
     "事先都会互相沟通,不是只考虑一个部门而不兼顾其它部门的利益", _departments_talk),
    ("joint_problem_solving",
     N_("every promise is reached by duties of two or more departments: a failure is shared"),
     "出现问题以后,没有相互指责,只有共同努力解决问题", _shared_promises),
)
"""(key, title, S3's words, check), in S3's order."""
