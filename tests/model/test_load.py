"""Tests for `servresp.load`: rules folders → `Model`, every problem located and reported at once."""

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings

import servresp
from servresp.errors import ModelError, Problem
from servresp.model.classes import Model, Role, TracingParameters, UnitKind
from servresp.model.load import default_rules_dir, iter_problems, load_default, load_model, load_texts
from strategies import DUPLICATE_FILE, Mutation, dump_model, models, mutations, write_files

DATA = Path(__file__).parents[1] / "data"
MINIMAL = DATA / "minimal"
BAD = DATA / "bad"


def problem_lines(folder: Path) -> list[str]:
    with pytest.raises(ModelError) as caught:
        load_model(folder)
    return [str(p) for p in caught.value.problems]


def overlay(tmp_path: Path, files: dict[str, str]) -> Path:
    """Copy the minimal model into ``tmp_path`` and write ``files`` over it."""
    folder = tmp_path / "rules"
    shutil.copytree(MINIMAL, folder)
    return write_files(files, folder)


def minimal_text(name: str) -> str:
    return (MINIMAL / name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- valid models


def test_minimal_model_loads():
    """The minimal model loads with every object, in id order, with locations."""
    model = load_model(MINIMAL)
    assert list(model.units) == ["boss", "buyer", "desk"]
    assert list(model.duties) == ["boss.organise", "buyer.buy_on_time", "desk.answer_calls"]
    assert list(model.promises) == ["service_ok"]
    assert list(model.standards) == ["calls_answered"]
    assert list(model.rules) == ["desk.late_supplies"]
    assert list(model.signals) == ["call.answered_rate", "supplier.late_delivery"]
    assert list(model.sources) == ["S4"]
    assert model.units["boss"].kind is UnitKind.TIER
    assert model.duties["desk.answer_calls"].raci.consulted == ("buyer",)
    assert model.rules["desk.late_supplies"].threshold_by_company
    assert model.tracing == TracingParameters()
    assert model.name == "minimal"
    assert model.location("desk.answer_calls") == "desk.yaml:7"
    assert model.location("calls_answered") == "sources.yaml:16"
    assert model.location("nothing") == ""


def test_name_defaults_to_the_folder_and_can_be_given():
    """A model is named after its folder unless a name is passed."""
    assert load_model(MINIMAL, name="demo").name == "demo"
    assert load_model(str(MINIMAL)).name == "minimal"


def test_mappings_are_read_only():
    """The id → object mappings of a loaded model cannot be changed."""
    model = load_model(MINIMAL)
    with pytest.raises(TypeError):
        model.units["x"] = model.units["boss"]  # type: ignore[index]


@settings(max_examples=40)
@given(models())
def test_generated_models_load(tmp_path_factory: pytest.TempPathFactory, model: Model):
    """Every generated model's files load without a single problem."""
    folder = write_files(dump_model(model), tmp_path_factory.mktemp("rules"))
    assert list(iter_problems(folder)) == []


@settings(max_examples=40)
@given(models())
def test_dump_load_round_trips(tmp_path_factory: pytest.TempPathFactory, model: Model):
    """Dumping a model and loading the files gives an equal model and the same graph."""
    folder = write_files(dump_model(model), tmp_path_factory.mktemp("rules"))
    loaded = load_model(folder, name=model.name)
    assert loaded == model
    assert sorted(loaded.graph.nodes(data=True)) == sorted(model.graph.nodes(data=True))
    assert sorted(loaded.graph.edges(data=True)) == sorted(model.graph.edges(data=True))
    assert set(loaded.locations) >= set(model.units) | set(model.duties) | set(model.promises)


@settings(max_examples=60)
@given(mutations())
def test_each_mutation_is_reported_at_its_file_and_line(
        tmp_path_factory: pytest.TempPathFactory, mutation: Mutation):
    """Duplicate key, duplicate id, two accountables, dangling reference, alias: one located problem."""
    folder = write_files(mutation.files, tmp_path_factory.mktemp("rules"))
    problems = list(iter_problems(folder))
    assert [(p.file, p.line) for p in problems] == [(mutation.file, mutation.line)], (
        mutation.kind, [str(p) for p in problems])
    assert mutation.message in problems[0].message


def test_the_duplicate_id_file_sorts_last():
    """The duplicate-id mutation relies on its extra file being read after every other."""
    assert DUPLICATE_FILE > "y" * 20 + ".yaml"
    assert DUPLICATE_FILE > "tracing.yaml"


# --------------------------------------------------------------------------- bad inputs


BAD_CASES = {
    "duplicate_key": [
        "desk.yaml:4: unit.kind: duplicate key 'kind' (first at line 3) (keep one of them)",
    ],
    "unknown_accountable": [
        "desk.yaml:10: duties[0].raci.accountable: unknown unit 'dsek'; did you mean 'desk'?",
    ],
    "unknown_keys": [
        "buyer.yaml:1: unit: missing required key 'faces'",
        ("buyer.yaml:5: unit.face: unknown key 'face'; did you mean 'faces'?"
        " (allowed keys: faces, id, kind, level, management, members, name)"),
        "desk.yaml:7: duties[0]: missing required key 'supports'",
        ("desk.yaml:13: duties[0].suports: unknown key 'suports'; did you mean 'supports'?"
        " (allowed keys: catches, gate, id, raci, source, supports, text, tier)"),
        ("desk.yaml:17: rules[0].when.event: unknown event 'supplier.late_delivery'"
        " (declare it under signals)"),
        ("sources.yaml:3: signal: unknown section 'signal'; did you mean 'signals'?"
        " (sections: duties, promises, rules, signals, sources, standards, tracing, unit)"),
        ("sources.yaml:19: standards[0].metric: unknown metric 'call.answered_rate'"
        " (declare it under signals)"),
    ],
    "wrong_types": [
        ("buyer.yaml:10: duties[0].supports: expected a list of ids,"
        " found the string 'desk.answer_calls'"),
        "desk.yaml:4: unit.name: expected a mapping, found the string 'Service desk'",
        "desk.yaml:19: rules[0].weight: expected a number, found a list",
        ("sources.yaml:20: standards[0].comparator: expected one of >=, <=, >, <, ==,"
        " found '=>'; did you mean '>'?"),
        "sources.yaml:21: standards[0].target: expected a number, found the string '96%'",
    ],
    "non_finite": [
        "desk.yaml:19: rules[0].weight: '-.Inf' is not a finite number (write a finite number)",
        ("sources.yaml:7: signals[0].range[1]: '.inf' is not a finite number"
        " (write a finite number)"),
        ("sources.yaml:21: standards[0].target: '.nan' is not a finite number"
        " (write a finite number)"),
    ],
    "duplicate_id": [
        ("sources.yaml:12: promises[0].id: promise id 'buyer' is already used by a unit"
        " at buyer.yaml:1 (ids must be unique across all files)"),
        ("sources.yaml:15: promises[1].id: promise id 'service_ok' is already used by a promise"
        " at extra.yaml:13 (ids must be unique across all files)"),
    ],
    "two_accountables": [
        ("desk.yaml:10: duties[0].raci.accountable: 2 accountable units; a duty has exactly one"
        " (name one unit; list the others as responsible or consulted)"),
    ],
    "alias": [
        "desk.yaml:4: YAML anchor &desk_name is not allowed (write the value out in full)",
        "desk.yaml:8: duties[0].text: YAML aliases are not allowed (write the value out in full)",
    ],
    "invalid_syntax": [
        "buyer.yaml:4: invalid YAML: did not find expected ',' or ']'",
    ],
    "not_utf8": [
        "buyer.yaml: not UTF-8 text (invalid start byte) (save it as UTF-8)",
    ],
    "many_problems": [
        ("boss.yaml:3: unit.kind: expected one of tier, department, team, found 'tear';"
        " did you mean 'tier'?"),
        ("buyer.yaml:10: duties[0].supports[0]: unknown duty or promise 'desk.answer_cals';"
        " did you mean 'desk.answer_calls'?"),
        "desk.yaml:10: duties[0].raci.accountable: unknown unit 'dsek'; did you mean 'desk'?",
        "desk.yaml:16: rules[0]: weight must be a positive finite number, not 0.0",
        ("sources.yaml:21: standards[0].target: '.inf' is not a finite number"
        " (write a finite number)"),
    ],
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_folder_exact_problems(case: str):
    """Each folder in tests/data/bad gives exactly these lines, sorted by file and line."""
    assert problem_lines(BAD / case) == BAD_CASES[case]


def test_every_bad_folder_is_tested():
    """No folder in tests/data/bad is left without a test."""
    assert {p.name for p in BAD.iterdir() if p.is_dir()} == {*BAD_CASES, "empty"}


def test_all_problems_at_once_sorted_by_file_and_line():
    """One ModelError carries every problem from every file, sorted by (file, line)."""
    with pytest.raises(ModelError) as caught:
        load_model(BAD / "many_problems")
    problems = caught.value.problems
    assert len({p.file for p in problems}) == 4
    assert [(p.file, p.line) for p in problems] == sorted((p.file, p.line) for p in problems)
    assert str(caught.value) == "\n".join(str(p) for p in problems)


def test_problems_carry_data():
    """A problem is data: file, line, path, message and hint."""
    with pytest.raises(ModelError) as caught:
        load_model(BAD / "two_accountables")
    assert caught.value.problems == (Problem(
        "desk.yaml", 10, "duties[0].raci.accountable",
        "2 accountable units; a duty has exactly one",
        "name one unit; list the others as responsible or consulted"),)


def test_iter_problems_yields_what_load_model_raises():
    """`iter_problems` yields the same sorted problems that `load_model` raises, and none for a good model."""
    with pytest.raises(ModelError) as caught:
        load_model(BAD / "unknown_keys")
    assert tuple(iter_problems(BAD / "unknown_keys")) == caught.value.problems
    assert list(iter_problems(MINIMAL)) == []
    assert next(iter(servresp.iter_problems(BAD / "duplicate_key"))).line == 4


def test_relative_folder_names_files_with_the_folder(monkeypatch: pytest.MonkeyPatch):
    """Given a relative folder, problems name each file relative to the working directory."""
    monkeypatch.chdir(BAD)
    assert problem_lines(Path("duplicate_key")) == [
        ("duplicate_key/desk.yaml:4: unit.kind: duplicate key 'kind' (first at line 3)"
        " (keep one of them)")]


def test_missing_folder(tmp_path: Path):
    """A folder that does not exist is one problem that says what to pass."""
    assert problem_lines(tmp_path / "nope") == [
        f"{tmp_path / 'nope'}: no such rules folder (pass --rules DIR)"]


def test_a_file_is_not_a_folder():
    """A file given as the rules folder is reported like a missing folder."""
    assert problem_lines(MINIMAL / "desk.yaml") == [
        f"{MINIMAL / 'desk.yaml'}: no such rules folder (pass --rules DIR)"]


def test_empty_folder(tmp_path: Path):
    """A folder without *.yaml files (tests/data/bad/empty has only a README) is a problem."""
    assert problem_lines(BAD / "empty") == [f"{BAD / 'empty'}: no *.yaml files in the rules folder"]
    assert problem_lines(tmp_path) == [f"{tmp_path}: no *.yaml files in the rules folder"]


def test_empty_files_are_ignored(tmp_path: Path):
    """An empty file adds nothing and breaks nothing."""
    folder = overlay(tmp_path, {"zzz.yaml": "", "comments.yaml": "# nothing yet\n"})
    assert load_model(folder, name="minimal") == load_model(MINIMAL)


def _replace(name: str, old: str, new: str) -> dict[str, str]:
    text = minimal_text(name)
    assert old in text
    return {name: text.replace(old, new)}


TEAM = "unit:\n  id: squad\n  kind: {kind}\n  name: {{en: Squad, zh: 小组}}\n  faces: both\n"

LOADER_CASES = {
    "top level is a list": (
        {"extra.yaml": "- a\n- b\n"},
        [("extra.yaml:1: expected a mapping of sections at the top level (use the keys duties,"
         " promises, rules, signals, sources, standards, tracing, unit)")]),
    "duties without a unit": (
        {"extra.yaml": "duties:\n  - id: x.y\n"},
        ["extra.yaml:1: duties: duties need the unit that owns them (add a 'unit' section)"]),
    "tracing twice": (
        {"t1.yaml": "tracing: {management_fraction: 0.1}\n",
         "t2.yaml": "tracing: {upstream_fraction: 0.1}\n"},
        ["t2.yaml:1: tracing: tracing parameters are given twice (keep one tracing section)"]),
    "bad tracing numbers": (
        {"t1.yaml": "tracing: {management_fraction: 1.5, role_weights: {accountable: -1}}\n"},
        ["t1.yaml:1: tracing.management_fraction: expected a fraction in [0, 1), found 1.5",
         "t1.yaml:1: tracing.role_weights: at least one role needs a positive weight",
         "t1.yaml:1: tracing.role_weights.accountable: weights must be ≥ 0, found -1.0"]),
    "rule id of another unit": (
        _replace("desk.yaml", "id: desk.late_supplies", "id: buyer.late_supplies"),
        [("desk.yaml:16: rules[0].id: rule id 'buyer.late_supplies' must start with 'desk.'"
         " (rename it desk.late_supplies)")]),
    "duty id of another unit": (
        _replace("buyer.yaml", "id: buyer.buy_on_time", "id: desk.buy_on_time"),
        ["buyer.yaml:7: duties[0]: duty id 'desk.buy_on_time' must start with its owner 'buyer'",
         "desk.yaml:18: rules[0].implicates[0]: unknown duty 'buyer.buy_on_time'"]),
    "tier that is not a tier": (
        _replace("desk.yaml", "    supports: [service_ok]\n",
                 "    tier: buyer\n    supports: [service_ok]\n"),
        [("desk.yaml:13: duties[0].tier: 'buyer' is not a tier"
         " (name top_management, middle_management or employee)")]),
    "duty supports itself": (
        _replace("desk.yaml", "supports: [service_ok]", "supports: [desk.answer_calls]"),
        ["desk.yaml:13: duties[0].supports[0]: a duty cannot support itself"]),
    "unknown duty in supports": (
        _replace("boss.yaml", "supports: [desk.answer_calls]", "supports: [desk.answer_cals]"),
        [("boss.yaml:10: duties[0].supports[0]: unknown duty or promise 'desk.answer_cals';"
         " did you mean 'desk.answer_calls'?")]),
    "team without members": (
        {"squad.yaml": TEAM.format(kind="team")},
        [("squad.yaml:1: unit.members: a team needs at least one member unit"
         " (list its member units)")]),
    "department with members": (
        {"squad.yaml": TEAM.format(kind="department") + "  members: [desk]\n"},
        [("squad.yaml:6: unit.members: only teams have members, this unit is a department"
         " (remove members)")]),
    "unknown team member": (
        {"squad.yaml": TEAM.format(kind="team") + "  members: [desk, dsk]\n"},
        ["squad.yaml:6: unit.members[1]: unknown unit 'dsk'; did you mean 'desk'?"]),
    "bad unit id": (
        {"squad.yaml": TEAM.format(kind="department").replace("id: squad", "id: Squad")},
        ["squad.yaml:1: unit: id 'Squad' is not a valid unit id"]),
    "event with a range": (
        {"sig.yaml": "signals:\n  - {name: a.b, kind: event, meaning: {en: x, zh: y},"
                     " range: [0, 1]}\n"},
        ["sig.yaml:2: signals[0].range: events have no range (remove range)"]),
    "metric used as an event": (
        _replace("desk.yaml", "event: supplier.late_delivery", "event: call.answered_rate"),
        [("desk.yaml:17: rules[0].when.event: 'call.answered_rate' is declared as a metric,"
         " not an event")]),
    "unknown source": (
        _replace("buyer.yaml", '{id: S4, section: "6.采购部"}', '{id: S5, section: "6.采购部"}'),
        ["buyer.yaml:11: duties[0].source.id: unknown source 'S5' (declare it under sources)"]),
    "blank text": (
        _replace("buyer.yaml", "{en: Buy on time, zh: 及时采购}", "{en: '  ', zh: 及时采购}"),
        ["buyer.yaml:8: duties[0].text.en: expected a non-empty string, found the string '  '"]),
    "zero accountables": (
        _replace("buyer.yaml", "{accountable: buyer,", "{accountable: [],"),
        [("buyer.yaml:9: duties[0].raci.accountable: 0 accountable units; a duty has exactly one"
         " (name one unit; list the others as responsible or consulted)")]),
    "no accountable": (
        _replace("buyer.yaml", "{accountable: buyer, responsible", "{responsible"),
        ["buyer.yaml:9: duties[0].raci: missing required key 'accountable'"]),
    "no responsible": (
        _replace("buyer.yaml", "responsible: [buyer]", "responsible: []"),
        [("buyer.yaml:9: duties[0].raci.responsible: no responsible unit; a duty needs at least"
         " one (name the accountable unit itself when no other unit does the work)")]),
    "unit listed twice": (
        _replace("buyer.yaml", "responsible: [buyer]", "responsible: [buyer, buyer]"),
        ["buyer.yaml:9: duties[0].raci.responsible[1]: 'buyer' is listed twice (list it once)"]),
    "signal declared twice": (
        {"sig.yaml": "signals:\n  - {name: call.answered_rate, kind: metric,"
                     " meaning: {en: x, zh: y}}\n"},
        [("sources.yaml:4: signals[0].name: signal id 'call.answered_rate' is already used by a"
         " signal at sig.yaml:2 (ids must be unique across all files)")]),
    "duty declared twice in one file": (
        {"boss.yaml": minimal_text("boss.yaml") + (
            "  - id: boss.organise\n    text: {en: a, zh: b}\n"
            "    raci: {accountable: boss, responsible: [boss]}\n"
            "    supports: [service_ok]\n    source: {id: S4, section: x}\n")},
        [("boss.yaml:12: duties[1].id: duty id 'boss.organise' is already used by a duty"
         " at boss.yaml:7 (ids must be unique across all files)")]),
    "boolean weight": (
        _replace("desk.yaml", "weight: 0.5", "weight: true"),
        ["desk.yaml:19: rules[0].weight: expected a number, found the boolean True"]),
    "event count zero": (
        _replace("desk.yaml", "count: 2", "count: 0"),
        [("desk.yaml:17: rules[0].when.count: expected a whole number from 1 to 1,000,000, "
          "found the number 0")]),
    "unknown threshold": (
        _replace("desk.yaml", "threshold: company", "threshold: mine"),
        [("desk.yaml:21: rules[0].threshold: expected 'company' or 'source', found the string"
         " 'mine'")]),
    "reversed range": (
        _replace("sources.yaml", "range: [0, 1]", "range: [1, 0]"),
        ["sources.yaml:4: signals[0]: range [1.0, 0.0] must be two finite numbers, low first"]),
    "unknown promise of a standard": (
        _replace("sources.yaml", "promise: service_ok", "promise: service_okay"),
        [("sources.yaml:18: standards[0].promise: unknown promise 'service_okay';"
         " did you mean 'service_ok'?")]),
    "a date where text belongs": (
        _replace("sources.yaml", 'section: "1.企业"', "section: 2026-10-01"),
        [("sources.yaml:14: promises[0].source.section: '2026-10-01' reads as a date, which"
         " rules files do not use (quote it to make it text)")]),
}


@pytest.mark.parametrize("case", list(LOADER_CASES))
def test_loader_checks_exact_text(tmp_path: Path, case: str):
    """Each per-object and cross-reference check gives exactly this line."""
    files, expected = LOADER_CASES[case]
    assert problem_lines(overlay(tmp_path, files)) == expected


def test_broken_unit_still_has_its_duties_checked(tmp_path: Path):
    """A broken unit does not hide problems in its duties, nor make references to it unknown."""
    files = _replace("desk.yaml", "  faces: external\n", "  faces: outward\n")
    files["desk.yaml"] = files["desk.yaml"].replace("weight: 0.5", "weight: 0.5.1")
    assert problem_lines(overlay(tmp_path, files)) == [
        "desk.yaml:5: unit.faces: expected one of external, internal, both, found 'outward'",
        "desk.yaml:19: rules[0].weight: expected a number, found the string '0.5.1'",
    ]


def test_tracing_parameters_are_read(tmp_path: Path):
    """A tracing section sets the share parameters, role weights in RACI order."""
    folder = overlay(tmp_path, {"tracing.yaml": (
        "tracing:\n  role_weights: {consulted: 1, accountable: 4}\n"
        "  management_fraction: 0.25\n")})
    assert load_model(folder).tracing == TracingParameters(
        role_weights=((Role.ACCOUNTABLE, 4.0), (Role.CONSULTED, 1.0)),
        management_fraction=0.25, upstream_fraction=0.5)


def test_tracing_restating_the_defaults_equals_the_defaults(tmp_path: Path):
    """Writing the default weights in any key order loads equal to `TracingParameters()`."""
    folder = overlay(tmp_path, {"tracing.yaml": (
        "tracing:\n  role_weights: {consulted: 1, responsible: 2, accountable: 3}\n")})
    assert load_model(folder).tracing == TracingParameters()


# --------------------------------------------------------------------------- the bundled model


def test_load_default_from_another_working_directory(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch):
    """The bundled model loads wherever the process runs, named 'servresp'."""
    monkeypatch.chdir(tmp_path)
    model = load_default()
    assert model.name == "servresp"
    assert model == load_model(default_rules_dir(), name="servresp")
    assert {"top_management", "middle_management", "employee"} <= set(model.units)
    assert (default_rules_dir() / "tracing.yaml").is_file()


# --------------------------------------------------------------------------- from texts


@settings(max_examples=15)
@given(models())
def test_load_texts_equals_load_model_without_a_folder(model: Model):
    """``{file: YAML}`` loads to the model the same files load to from a folder."""
    assert load_texts(dump_model(model), name=model.name) == model


@settings(max_examples=15)
@given(mutations())
def test_load_texts_reports_what_load_model_reports(mutation: Mutation):
    """A broken file set gives the folder's problems, files named as given."""
    with pytest.raises(ModelError) as caught:
        load_texts(mutation.files, name="m")
    assert any(p.file == mutation.file and p.line == mutation.line for p in caught.value.problems)


# --------------------------------------------------------------------------- issue 14


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(MINIMAL, folder)
    return folder


def _problems(folder: Path) -> list[str]:
    return [str(p).replace(f"{folder}/", "") for p in iter_problems(folder)]


def _append(folder: Path, file: str, text: str) -> None:
    with (folder / file).open("a", encoding="utf-8") as stream:
        stream.write(text)


def test_d11_yaml_nested_600_deep_is_one_problem(tmp_path: Path) -> None:
    """600 nested lists: one located problem, no RecursionError."""
    folder = _copy(tmp_path)
    _append(folder, "desk.yaml", "x: " + "[" * 600 + "]" * 600 + "\n")
    assert _problems(folder) == [("desk.yaml:23: nested more than 64 lists or mappings deep "
                                  "(rules files nest a few levels; flatten it)")]


@pytest.mark.parametrize(("old", "new", "path"), [
    ("weight: 0.5", "weight: 1" + "0" * 400, "rules[0].weight"),
    ("consulted: [buyer]", "consulted: [buyer]\n    x: -" + "9" * 400, "duties[0].x"),
])
def test_d12_an_integer_past_float_range_is_a_problem(tmp_path: Path, old: str, new: str, path: str) -> None:
    """An integer above ~1e308 is rejected where it is written, no OverflowError."""
    folder = _copy(tmp_path)
    (folder / "desk.yaml").write_text((folder / "desk.yaml").read_text(encoding="utf-8").replace(old, new),
                                      encoding="utf-8")
    problems = _problems(folder)
    assert len(problems) == 1
    assert f" {path}: " in problems[0]
    assert "is too large a number" in problems[0]


def test_d13_a_rules_folder_that_cannot_be_listed_is_one_problem(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder readable but not searchable (or not readable): one problem naming it, no traceback."""
    folder = _copy(tmp_path)

    def refused(_path: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("servresp.model._yaml.os.scandir", refused)
    assert [str(p) for p in iter_problems(folder)] == [
        f"{folder}: cannot list the rules folder: Permission denied (give it read and search (x) permission)"]


def test_d16_an_event_count_past_a_million_is_a_load_problem(tmp_path: Path) -> None:
    """``count: 9223372036854775808`` is refused by the loader, so check and watch agree."""
    folder = _copy(tmp_path)
    text = (folder / "desk.yaml").read_text(encoding="utf-8")
    text = text.replace("count: 2", "count: 9223372036854775808")
    (folder / "desk.yaml").write_text(text, encoding="utf-8")
    assert _problems(folder) == [("desk.yaml:17: rules[0].when.count: expected a whole number from 1 to "
                                  "1,000,000, found the number 9223372036854775808")]


def test_d27_a_nul_byte_in_yaml_is_one_located_line(tmp_path: Path) -> None:
    """A NUL byte: one line with file and line number."""
    folder = _copy(tmp_path)
    _append(folder, "desk.yaml", "x: a\0b\n")
    assert _problems(folder) == [("desk.yaml:23: invalid YAML: the character #x0000 is not allowed "
                                  "(remove it; rules files are plain text)")]


def test_d28_an_id_too_long_for_a_file_name_is_a_load_problem(tmp_path: Path) -> None:
    """A 100,000-character id fails check (it would fail docs part-way), reported once."""
    folder = _copy(tmp_path)
    long_id = "desk." + "a" * 100_000
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("desk.answer_calls", long_id), encoding="utf-8")
    assert _problems(folder) == [("desk.yaml:7: duties[0].id: duty id of 100,005 characters; at most 200 "
                                  "(ids name chart files (servresp docs), which file systems cap at "
                                  "255 bytes)")]


def test_d32_entries_that_are_no_files_are_named_and_blame_no_other(tmp_path: Path) -> None:
    """A folder, broken and looping symlinks and a FIFO named *.yaml: a problem each, nothing else."""
    folder = _copy(tmp_path)
    (folder / "dir.yaml").mkdir()
    (folder / "dangling.yaml").symlink_to(folder / "nowhere")
    (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
    os.mkfifo(folder / "fifo.yaml")
    assert _problems(folder) == [
        "dangling.yaml: cannot read: a symlink that leads nowhere (remove it or fix the link)",
        "dir.yaml: is a folder, not a rules file (rename it without .yaml)",
        "fifo.yaml: is not a regular file (a FIFO, socket or device) (remove it)",
        "loop.yaml: cannot read: a symlink: Too many levels of symbolic links (remove it or fix the link)",
    ]


def test_yml_files_are_read(tmp_path: Path) -> None:
    """``buyer.yml`` is read like ``buyer.yaml``."""
    folder = _copy(tmp_path)
    (folder / "buyer.yaml").rename(folder / "buyer.yml")
    assert set(load_model(folder).units) == set(load_model(MINIMAL).units)
