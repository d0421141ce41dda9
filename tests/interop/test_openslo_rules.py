"""The OpenSLO v1 spec's documented rules: names, durations, windows, budgeting, objectives."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from servresp.interop.openslo_rules import is_rfc1123, validate_document


def _slo(**spec: Any) -> dict[str, Any]:
    base = {"service": "shop", "budgetingMethod": "Occurrences",
            "indicator": {"metadata": {"name": "latency"},
                          "spec": {"thresholdMetric": {"metricSource": {"type": "Any", "spec": {}}}}},
            "timeWindow": [{"duration": "1M", "isRolling": False,
                            "calendar": {"startTime": "2026-01-01 00:00:00", "timeZone": "UTC"}}],
            "objectives": [{"op": "lte", "value": 400, "target": 0.99}]}
    return {"apiVersion": "openslo/v1", "kind": "SLO", "metadata": {"name": "checkout"},
            "spec": {**base, **spec}}


@pytest.mark.parametrize(("name", "valid"), [("checkout-latency", True), ("a", True), ("a" * 64, False),
                                             ("Checkout", False), ("-a", False), ("a_b", False)])
def test_names_follow_rfc_1123(name: str, valid: bool) -> None:
    """At most 63 lowercase alphanumerics or '-', alphanumeric at both ends."""
    assert is_rfc1123(name) is valid


def test_a_valid_slo_has_no_problem() -> None:
    """A threshold SLO with op, value, target and a calendar month."""
    assert list(validate_document(_slo())) == []


@pytest.mark.parametrize(("spec", "path"), [
    ({"budgetingMethod": "Sometimes"}, "spec.budgetingMethod"),
    ({"timeWindow": [{"duration": "5 days", "isRolling": True}]}, "spec.timeWindow[0].duration"),
    ({"timeWindow": [{"duration": "1M", "isRolling": False}]}, "spec.timeWindow[0].calendar"),
    ({"timeWindow": []}, "spec.timeWindow"),
    ({"objectives": [{"op": "eq", "value": 1, "target": 0.9}]}, "spec.objectives[0].op"),
    ({"objectives": [{"op": "lte", "value": 1, "target": 1.0}]}, "spec.objectives[0].target"),
    ({"objectives": [{"op": "lte", "value": 1, "targetPercent": 100}]}, "spec.objectives[0].targetPercent"),
    ({"objectives": [{"target": 0.9}]}, "spec.objectives[0]"),
    ({"budgetingMethod": "Timeslices"}, "spec.objectives[0].timeSliceWindow"),
    ({"service": ""}, "spec.service"),
    ({"description": "x" * 1051}, "spec.description"),
])
def test_each_documented_rule_is_checked(spec: dict[str, Any], path: str) -> None:
    """One broken field gives a problem on that field."""
    assert path in [p for p, _ in validate_document(_slo(**spec))]


def test_sli_needs_exactly_one_metric_and_ratio_parts() -> None:
    """ThresholdMetric xor ratioMetric; raw needs rawType; good or bad with total."""
    sli = {"apiVersion": "openslo/v1", "kind": "SLI", "metadata": {"name": "x"},
           "spec": {"ratioMetric": {"good": {"metricSource": {"type": "Any", "spec": {}}}}}}
    assert [p for p, _ in validate_document(sli)] == ["spec.ratioMetric.total"]
    sli["spec"] = {"ratioMetric": {"raw": {"metricSource": {"type": "Any", "spec": {}}}}}
    assert [p for p, _ in validate_document(sli)] == ["spec.ratioMetric.rawType"]
    sli["spec"] = {}
    assert [p for p, _ in validate_document(sli)] == ["spec"]


def test_the_example_files_are_valid(data: Path) -> None:
    """The SLO files modelled on OpenSLO's examples pass; the invalid one fails on six fields."""
    for name in ("checkout-latency.yaml", "support-availability.yaml"):
        docs = list(yaml.safe_load_all((data / "openslo" / name).read_text(encoding="utf-8")))
        assert all(list(validate_document(d, threshold_refs=frozenset())) == [] for d in docs), name
    bad = yaml.safe_load((data / "openslo" / "invalid.yaml").read_text(encoding="utf-8"))
    assert len(list(validate_document(bad))) == 6
