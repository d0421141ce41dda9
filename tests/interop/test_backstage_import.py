"""Backstage catalogs → units: the example organisation keeps its hierarchy; bad refs are located."""

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servresp import _fs
from servresp.interop.backstage_import import import_entities
from servresp.interop.backstage_read import read_catalog
from servresp.lint.runner import lint
from servresp.model.classes import UnitKind
from servresp.model.load import load_model


def _import(files: list[Path], out: Path) -> list[str]:
    entities, problems = read_catalog(files, names=[f.name for f in files])
    model_files, more = import_entities(entities, source="org.yaml")
    for relpath, text in model_files.items():
        _fs.write_atomic(out, relpath, text)
    return [str(p) for p in [*problems, *more]]


def test_the_example_organisation_keeps_its_hierarchy(data: Path, tmp_path: Path) -> None:
    """acme-corp heads the tiers, backstage/boxoffice are departments, team-a…d teams of them."""
    assert _import([data / "backstage" / "org.yaml"], tmp_path) == []
    model = load_model(tmp_path)
    kinds = {u.id: u.kind for u in model.units.values()}
    assert kinds == {"top_management": UnitKind.TIER, "middle_management": UnitKind.TIER,
                     "backstage": UnitKind.DEPARTMENT, "boxoffice": UnitKind.DEPARTMENT,
                     "team_a": UnitKind.TEAM, "team_b": UnitKind.TEAM, "team_c": UnitKind.TEAM,
                     "team_d": UnitKind.TEAM}
    assert model.units["top_management"].name.en == "ACME Corp"
    assert model.units["team_a"].members == ("backstage",)
    assert model.units["team_d"].members == ("boxoffice",)
    text = (tmp_path / "team_a.yaml").read_text(encoding="utf-8")
    assert "# member: user:default/breanna.davison (Breanna Davison)" in text
    assert "# member: user:default/janelle.dawe (Janelle Dawe)" in text  # group:default/team-a ref
    assert "# parent: group:default/backstage" in text
    team_d = (tmp_path / "team_d.yaml").read_text(encoding="utf-8")
    assert "# member: user:development/guest (Guest (development))" in team_d  # another namespace
    assert not lint(model).errors


def test_invalid_names_and_dangling_refs_are_located(data: Path, tmp_path: Path) -> None:
    """Each problem names the file, the line and the field; the valid rest is imported."""
    problems = _import([data / "backstage" / "broken.yaml"], tmp_path)
    assert problems == [
        ("broken.yaml:4: group:-bad name-.metadata.name: invalid entity name '-bad name-': 1–63 "
         "characters of [a-zA-Z0-9-_.], starting and ending with a letter or digit"),
        ("broken.yaml:15: group:ops.spec.parent: dangling reference 'group:default/nowhere': "
         "no group default/nowhere in the catalog"),
        ("broken.yaml:16: group:ops.spec.children[0]: dangling reference 'team-x': "
         "no group default/team-x in the catalog"),
        ("broken.yaml:23: user:sam.spec.memberOf[1]: dangling reference 'group:other/ghosts': "
         "no group other/ghosts in the catalog"),
    ]
    assert sorted(load_model(tmp_path).units) == ["top_management"]


def test_locations_stay_inside_the_catalog_folder(tmp_path: Path) -> None:
    """A Location target that leaves the folder, a URL and a missing file are refused."""
    (tmp_path / "cat").mkdir()
    (tmp_path / "secret.yaml").write_text("kind: Group\n", encoding="utf-8")
    root = tmp_path / "cat" / "all.yaml"
    root.write_text("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: all\n"
                    "spec:\n  targets: [../secret.yaml, https://example.com/x.yaml, ./missing.yaml]\n",
                    encoding="utf-8")
    entities, problems = read_catalog([root], names=["all.yaml"])
    assert [e.kind for e in entities] == ["location"]
    assert [p.message.split(":")[0] for p in problems] == [
        "target '../secret.yaml' leaves the catalog's folder", "target 'https", "target './missing.yaml'"]


def test_yaml_problems_are_located_and_aliases_refused(tmp_path: Path) -> None:
    """Bad YAML or an alias bomb is reported at its line, not expanded."""
    path = tmp_path / "c.yaml"
    path.write_text("a: &x [1]\nb: *x\n---\nkind: [\n", encoding="utf-8")
    entities, problems = read_catalog([path], names=["c.yaml"])
    assert entities == []
    assert problems[0].file == "c.yaml"
    assert problems[0].line == 5


HOSTILE = st.one_of(
    st.sampled_from(["../../etc/passwd", "..", "=cmd|' /C calc'!A0", "x" * 10_000, "\x00\x1b[2J", "组",
                     "team-a", "a" * 63, "\u2028"]),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30),
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(HOSTILE, min_size=1, max_size=4), titles=st.lists(HOSTILE, min_size=1, max_size=4))
def test_hostile_catalogs_never_crash_or_escape_out(tmp_path: Path, names: list[str],
                                                    titles: list[str]) -> None:
    """Any group names and display names: problems are reported, files land in OUT and load."""
    case = Path(tempfile.mkdtemp(dir=tmp_path))
    docs = [{"apiVersion": "backstage.io/v1alpha1", "kind": "Group", "metadata": {"name": "org"},
             "spec": {"type": "organization", "children": names}}]
    docs += [{"apiVersion": "backstage.io/v1alpha1", "kind": "Group", "metadata": {"name": name},
              "spec": {"type": "team", "parent": "org", "children": [],
                       "profile": {"displayName": titles[i % len(titles)]}}} for i, name in enumerate(names)]
    catalog = case / "org.yaml"
    catalog.write_text(yaml.safe_dump_all(docs, allow_unicode=True), encoding="utf-8")
    entities, problems = read_catalog([catalog], names=["org.yaml"])
    files, more = import_entities(entities, source="org.yaml")
    for problem in [*problems, *more]:
        assert "\n" not in str(problem)
    for relpath, text in files.items():
        assert _fs.write_atomic(case / "out", relpath, text).parent == (case / "out").resolve()
    load_model(case / "out")
