"""Standards → OpenSLO: valid per the spec, op only on thresholds, and a lossless round trip."""

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings

import servresp
from servresp import _fs
from servresp.interop.openslo_export import export_standards
from servresp.interop.openslo_import import read_documents, to_model_files
from servresp.interop.openslo_rules import validate_document
from servresp.model.load import load_model
from strategies import models


def _round_trip(model: servresp.Model, folder: Path) -> servresp.Model:
    files, problems = export_standards(model)
    assert problems == []
    for relpath, text in files.items():
        _fs.write_atomic(folder / "slo", relpath, text)
    paths = sorted((folder / "slo").glob("*.yaml"))
    docs, read_problems = read_documents(paths)
    assert read_problems == []
    model_files, more = to_model_files(docs, source="slo")
    assert more == []
    for relpath, text in model_files.items():
        _fs.write_atomic(folder / "model", relpath, text)
    return load_model(folder / "model")


def test_the_bundled_standards_export_and_import_unchanged(tmp_path: Path) -> None:
    """Every standard of the bundled model comes back equal, field by field."""
    model = servresp.load_default()
    back = _round_trip(model, tmp_path)
    assert dict(back.standards) == dict(model.standards)


def test_exported_slos_follow_the_spec() -> None:
    """Each file is valid; rates are ratio SLOs without op; others are thresholds with op."""
    files, _ = export_standards(servresp.load_default())
    for name, text in files.items():
        doc = yaml.safe_load(text)
        assert list(validate_document(doc)) == [], name
        assert name == f"{doc['metadata']['name']}.yaml"
        objective = doc["spec"]["objectives"][0]
        indicator = doc["spec"]["indicator"]["spec"]
        assert ("op" in objective) == ("thresholdMetric" in indicator)
        assert doc["spec"]["timeWindow"][0]["isRolling"] is False
    ring2 = yaml.safe_load(files["call-answer-ring2.yaml"])
    assert ring2["spec"]["objectives"][0] == {"displayName": "call_answer_ring2", "target": 0.96}
    zero = yaml.safe_load(files["zero-complaints.yaml"])
    assert zero["spec"]["objectives"][0]["op"] == "lte"  # '== 0' at the bottom of the range


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(models())
def test_generated_models_round_trip(tmp_path: Path, model: servresp.Model) -> None:
    """Any model the strategies build: every exportable standard comes back unchanged."""
    files, problems = export_standards(model)
    for text in files.values():
        assert list(validate_document(yaml.safe_load(text))) == []
    skipped = {p.path.split("[")[1].split("]")[0] for p in problems}
    if len(skipped) == len(model.standards):
        return
    case = Path(tempfile.mkdtemp(dir=tmp_path))
    for relpath, text in files.items():
        _fs.write_atomic(case / "slo", relpath, text)
    docs, read_problems = read_documents(sorted((case / "slo").glob("*.yaml")))
    assert read_problems == []
    model_files, _ = to_model_files(docs, source="slo")
    for relpath, text in model_files.items():
        _fs.write_atomic(case / "model", relpath, text)
    back = load_model(case / "model")
    expected = {k: v for k, v in model.standards.items() if k not in skipped}
    assert dict(back.standards) == expected
