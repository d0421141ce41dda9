"""Small formatters the renderers share: captions by language, numbers, RACI letters."""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from servresp.model.classes import MANAGEMENT_TIERS, Model, Role, Unit, UnitKind

__all__ = ["caption", "number", "ordered_units", "pick", "raci_cell"]

_KIND_ORDER = {UnitKind.TIER: 0, UnitKind.DEPARTMENT: 1, UnitKind.TEAM: 2}

_LETTERS = {Role.ACCOUNTABLE: "A", Role.RESPONSIBLE: "R", Role.CONSULTED: "C", Role.INFORMED: "I"}

_CAPTIONS = MappingProxyType({
    "baseline": ("Baseline", "现状"),
    "both": ("external and internal customers", "外部和内部客户"),
    "chinese": ("Chinese", "中文"),
    "customers": ("customers (promise)", "客户（承诺）"),
    "department": ("department", "部门"),
    "diagram": ("Diagram", "图"),
    "domain": ("Domain", "领域"),
    "duties": ("Duties", "职责"),
    "duty": ("Duty", "职责"),
    "english": ("English", "英文"),
    "external": ("external customers", "外部客户"),
    "faces": ("Faces", "面向"),
    "file": ("File", "文件"),
    "id": ("Id", "编号"),
    "implicated_by": ("Implicated by rules", "诊断规则"),
    "index": ("Index", "索引"),
    "internal": ("internal customers", "内部客户"),
    "kind": ("Kind", "类型"),
    "meaning": ("Meaning", "含义"),
    "member_of": ("Member of", "所属团队"),
    "members": ("Members", "成员"),
    "metric": ("Metric", "指标"),
    "name": ("Name", "名称"),
    "note": ("Note", "备注"),
    "our_duty": ("Our duty", "本单位职责"),
    "owner": ("Owner", "负责单位"),
    "performs": ("Performs duties of others", "执行的他部门职责"),
    "promise": ("Promise", "承诺"),
    "raci": ("RACI", "RACI"),
    "raci_matrix": ("RACI matrix", "RACI 责任矩阵"),
    "range": ("Range", "取值范围"),
    "read_by_rules": ("Read by rules", "使用它的规则"),
    "read_by_standards": ("Read by standards", "使用它的标准"),
    "roles": ("Roles", "角色"),
    "served_by": ("Served by", "由谁保障"),
    "serves": ("Serves standards", "服务的标准"),
    "source": ("Source", "出处"),
    "standard": ("Standard", "标准"),
    "standards": ("Standards", "标准"),
    "status": ("Status", "状态"),
    "supplied_by": ("Supplied by", "上游供给"),
    "supports": ("Supports", "支持"),
    "target": ("Target", "目标"),
    "team": ("cross-functional team", "跨部门团队"),
    "their_duty": ("Their duty", "对方职责"),
    "through": ("Through", "通过"),
    "tier": ("tier", "层级"),
    "tier_of_duty": ("Performed at tier", "执行层级"),
    "title": ("Title", "标题"),
    "unit": ("Unit", "单位"),
    "what": ("What", "内容"),
    "window": ("Window", "周期"),
})
"""Fixed words of the charts, ``key → (English, Chinese)``; unit kinds and faces by value."""


def pick(lang: str, en: str, zh: str) -> str:
    """Return ``zh`` when ``lang`` is ``zh``, else ``en``: a caption in the chart's language."""
    return zh if lang == "zh" else en


def caption(key: str, lang: str) -> str:
    """Return the fixed word ``key`` (see `_CAPTIONS`) in the chart's language."""
    return pick(lang, *_CAPTIONS[key])


def number(value: float) -> str:
    """Format a number as written in the rules: ``0.96``, ``1``, ``2.5``."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def raci_cell(roles: Iterable[Role]) -> str:
    """Return the roles as letters in RACI order joined by ``/``, e.g. ``A/R``; ``""`` for none."""
    held = set(roles)
    return "/".join(_LETTERS[role] for role in Role if role in held)


def _unit_order(unit: Unit) -> tuple[int, int, str]:
    tier = MANAGEMENT_TIERS.index(unit.id) if unit.id in MANAGEMENT_TIERS else len(MANAGEMENT_TIERS)
    return (_KIND_ORDER[unit.kind], tier, unit.id)


def ordered_units(model: Model) -> list[Unit]:
    """Return the units in display order: tiers top down, then departments, then teams; by id."""
    return sorted(model.units.values(), key=_unit_order)
