"""OpenSLO → standards: ratio and threshold indicators, windows, what cannot be represented."""

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from servresp import _fs
from servresp.interop.openslo_import import read_documents, to_model_files
from servresp.lint.runner import lint
from servresp.model.classes import Comparator, Window
from servresp.model.load import load_model


def _import(files: list[Path], out: Path) -> list[str]:
    docs, problems = read_documents(files, names=[f.name for f in files])
    model_files, more = to_model_files(docs, source="slos")
    for relpath, text in model_files.items():
        _fs.write_atomic(out, relpath, text)
    return [str(p) for p in [*problems, *more]]


def test_the_example_slos_import_as_standards(data: Path, tmp_path: Path) -> None:
    """Threshold: op and value; ratio: the objective's target; failure ratios stay below 1 - target."""
    problems = _import([data / "openslo" / "checkout-latency.yaml",
                        data / "openslo" / "support-availability.yaml"], tmp_path)
    assert problems == [("checkout-latency.yaml:20: spec.timeWindow: a rolling 28d window cannot be "
                         "represented: servresp judges calendar days, weeks and months; "
                         "read as a calendar month")]
    model = load_model(tmp_path)
    latency = model.standards["checkout_latency"]
    assert (latency.comparator, latency.target, latency.window) == (Comparator.LE, 400, Window.MONTH)
    calls = model.standards["calls_answered_weekly"]
    assert (calls.comparator, calls.target, calls.window, calls.promise) == (
        Comparator.GE, 0.95, Window.WEEK, "support_desk")
    complaints = model.standards["complaints_monthly"]
    assert (complaints.comparator, complaints.target) == (Comparator.LE, 0.01)
    assert model.promises["support_desk"].text.en == "Customers reach the support desk by phone."
    assert model.signals["openslo.calls_answered"].range == (0, 1)
    assert not lint(model).errors
    text = (tmp_path / "_slos.yaml").read_text(encoding="utf-8")
    assert "# settle: a rolling 28d window cannot be represented" in text
    assert "# note: objective target 0.99 (the share of good readings) is not kept" in text


def test_invalid_documents_are_located_and_left_out(data: Path) -> None:
    """Each broken field of the invalid SLO is reported at its line."""
    docs, problems = read_documents([data / "openslo" / "invalid.yaml"], names=["invalid.yaml"])
    assert docs == []
    assert [(p.line, p.path) for p in problems] == [
        (4, "metadata.name"), (5, "spec"), (8, "spec.timeWindow[0].duration"), (9, "spec.budgetingMethod"),
        (11, "spec.objectives[0].op"), (13, "spec.objectives[0].target")]


def test_an_slo_whose_sli_is_missing_is_reported(tmp_path: Path) -> None:
    """IndicatorRef to an SLI not given: a problem, no crash, nothing imported."""
    path = tmp_path / "slo.yaml"
    path.write_text("apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec:\n  service: s\n"
                    "  indicatorRef: nowhere\n  budgetingMethod: Occurrences\n"
                    "  objectives: [{target: 0.9}]\n", encoding="utf-8")
    docs, problems = read_documents([path], names=["slo.yaml"])
    _, more = to_model_files(docs, source="slo.yaml")
    assert problems == []
    assert [p.path for p in more] == ["spec"]
    assert "indicatorRef to an SLI not given" in more[0].message


HOSTILE = st.one_of(
    st.sampled_from(["../../x", "..", "=1+1", "x" * 10_000, "\x00\x85\u2028", "服务", "a.b", "S1", "=="]),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30),
)


@example(service="s", words="", notes={"promise": "x" * 10_000, "standard": "y" * 10_000,
                                        "metric": "m." + "z" * 10_000, "served-by": "a." + "b" * 10_000})
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(service=HOSTILE, words=HOSTILE, notes=st.dictionaries(
    st.sampled_from(["standard", "promise", "metric", "comparator", "target", "domain", "status",
                     "served-by", "source", "section", "text-en", "baseline", "note"]), HOSTILE, max_size=6))
def test_hostile_slos_never_crash_or_escape_out(tmp_path: Path, service: str, words: str,
                                                notes: dict[str, str]) -> None:
    """Any service, description and servresp.io annotations: files land in OUT and load."""
    case = Path(tempfile.mkdtemp(dir=tmp_path))
    slo = {"apiVersion": "openslo/v1", "kind": "SLO",
           "metadata": {"name": "slo", "annotations": {f"servresp.io/{k}": v for k, v in notes.items()}},
           "spec": {"service": service or "s", "description": words[:1000], "budgetingMethod": "Occurrences",
                    "indicator": {"spec": {"thresholdMetric": {"metricSource": {"type": "x", "spec": {}}}}},
                    "objectives": [{"op": "gte", "value": 1, "target": 0.9}]}}
    path = case / "slo.yaml"
    path.write_text(yaml.safe_dump(slo, allow_unicode=True), encoding="utf-8")
    docs, _ = read_documents([path], names=["slo.yaml"])
    files, _ = to_model_files(docs, source="slo.yaml")
    for relpath, text in files.items():
        assert _fs.write_atomic(case / "out", relpath, text).parent == (case / "out").resolve()
    if files:
        load_model(case / "out")
