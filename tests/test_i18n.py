"""Tests for servresp.i18n and its catalogs: complete, placeholders kept, compiled, current."""

import io
import json
import os
import re
import shlex
import string
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

import servresp
from servresp import i18n
from servresp.cli import main
from servresp.render.text import render_report, render_why

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "servresp" / "locale"
POT = LOCALE / "servresp.pot"
CATALOGS = sorted(LOCALE.glob("*/LC_MESSAGES/servresp.po"))
ENGLISH_RUN = re.compile(r"(?<![\w./:'-])[A-Za-z]{2,}(?: [A-Za-z]{1,}){2,}(?![\w./:'-])")
"""Three or more English words in a row, none of them part of an id, a path or a quoted name."""


def _catalog(path: Path):
    with path.open("rb") as stream:
        return read_po(stream)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _messages(path: Path) -> list:
    return [m for m in _catalog(path) if m.id]


def test_the_template_lists_every_message_in_the_sources():
    """A message added to the code without `make messages` fails here."""
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    extracted = extract_from_dir(str(ROOT / "src" / "servresp"), [("**.py", "python")], keywords=keywords)
    found = {message if isinstance(message, str) else message[0] for _, _, message, _, _ in extracted}
    assert found == {m.id if isinstance(m.id, str) else m.id[0] for m in _messages(POT)}


def test_there_are_catalogs_for_chinese():
    """Simplified and Traditional Chinese each have a catalog."""
    assert [p.parts[-3] for p in CATALOGS] == ["zh", "zh_Hant"]


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parts[-3])
def test_every_message_has_a_translation(po: Path):
    """Every msgid of the template is in the catalog with a non-empty, non-fuzzy translation."""
    catalog = _catalog(po)
    missing = []
    for message in _messages(POT):
        translated = catalog.get(message.id)
        strings = [] if translated is None else (
            [translated.string] if isinstance(translated.string, str) else list(translated.string))
        if not strings or not all(strings) or translated.fuzzy:
            missing.append(message.id)
    assert missing == []


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parts[-3])
def test_no_translation_drops_renames_or_adds_a_placeholder(po: Path):
    """Each translation uses exactly the msgid's {placeholders}."""
    wrong = []
    for message in _messages(po):
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = _fields(ids[-1]) | _fields(ids[0])
        wrong.extend((ids[0], text) for text in strings if _fields(text) != expected)
    assert wrong == []


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parts[-3])
def test_the_committed_mo_is_a_fresh_compile_of_the_po(po: Path):
    """A .po edited without `make messages` leaves a stale .mo: CI fails here."""
    fresh = io.BytesIO()
    write_mo(fresh, _catalog(po))
    assert po.with_suffix(".mo").read_bytes() == fresh.getvalue(), "run 'make messages' and commit the .mo"


@pytest.mark.parametrize(("environ", "lang"), [
    ({}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_SG"}, "zh"),
    ({"LANG": "zh_TW.UTF-8"}, "zh_Hant"),
    ({"LANG": "zh_HK.Big5"}, "zh_Hant"),
    ({"LC_ALL": "zh_Hant_MO"}, "zh_Hant"),
    ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"SERVRESP_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
    ({"SERVRESP_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
    ({"SERVRESP_LANG": "zh-TW"}, "zh_Hant"),
    ({"SERVRESP_LANG": "", "LANG": "zh_CN.UTF-8"}, "zh"),
])
def test_default_lang(environ: dict[str, str], lang: str):
    """SERVRESP_LANG, then LC_ALL / LC_MESSAGES / LANG; Chinese regions map to zh or zh_Hant."""
    assert i18n.default_lang(environ) == lang


@given(st.dictionaries(st.sampled_from(["LC_ALL", "LC_MESSAGES", "LANG"]),
                       st.text(alphabet="abcdefghijklmnopqrstuvwxyABCXYZ_.@-0123456789", max_size=12)))
def test_a_locale_that_is_not_chinese_is_english(environ: dict[str, str]):
    """Only a locale naming Chinese changes the language: CI's C.UTF-8 or none stays English."""
    first = next((environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(k)), "")
    chinese = re.split(r"[_.@-]", first)[0].lower() == "zh"
    assert i18n.default_lang(environ) in (("zh", "zh_Hant") if chinese else ("en",))


def test_use_nests_and_restores():
    """use() sets the language for a block and restores the outer one, even on an exception."""
    assert i18n.current() == "en"
    with i18n.use("zh"):
        assert i18n.gettext("breached") == "未兑现"
        with i18n.use("en"):
            assert i18n.gettext("breached") == "breached"
        with i18n.use(None):
            assert i18n.current() == "zh"
        with pytest.raises(RuntimeError), i18n.use("zh_Hant"):
            raise RuntimeError
        assert i18n.current() == "zh"
    assert i18n.current() == "en"
    with pytest.raises(ValueError, match="unknown language 'fr'"), i18n.use("fr"):
        pass


def test_traditional_chinese_reads_its_catalog_over_the_simplified_one(monkeypatch: pytest.MonkeyPatch):
    """zh_Hant reads its own catalog; a message it lacks comes from zh, never English."""
    with i18n.use("zh_Hant"):
        assert i18n.gettext("breached") == "未兌現"
        assert i18n.ngettext("{count} error", "{count} errors", 2) == "{count} 個錯誤"
    i18n._catalog.cache_clear()  # noqa: SLF001 - the catalogs are read once per language
    monkeypatch.setattr(i18n, "_CHAIN", {**i18n._CHAIN, "zh_Hant": ("zh", "zh_Hant_missing")})  # noqa: SLF001
    try:
        with i18n.use("zh_Hant"):
            assert i18n.gettext("breached") == "未兑现"
    finally:
        i18n._catalog.cache_clear()  # noqa: SLF001


def test_pick_reads_the_model_text():
    """pick() gives English for en and the model's Chinese for zh and zh_Hant."""
    text = servresp.load_default().promises["product_works"].text
    assert i18n.pick(text) == text.en
    assert i18n.pick(text, "zh") == i18n.pick(text, "zh_Hant") == text.zh
    with i18n.use("zh"):
        assert i18n.pick(text) == text.zh


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(0, 6))
def test_english_numbers_are_python_formats(value: float, digits: int):
    """English formatting is exactly what the golden files were written with."""
    assert i18n.percent(value, digits) == f"{value:.{digits}%}"
    assert i18n.decimal(value, digits) == f"{value:.{digits}f}"
    assert i18n.number(value) == f"{value:g}"


@given(st.floats(min_value=-1e4, max_value=1e4, allow_nan=False), st.sampled_from(["zh", "zh_Hant"]))
def test_chinese_numbers_read_the_same_value(value: float, lang: str):
    """Babel's Chinese formats read back as the number the English one shows."""
    with i18n.use(lang):
        assert i18n.decimal(value, 4).replace(",", "") == f"{value:.4f}"
        assert i18n.percent(value, 2).replace(",", "") == f"{value:.2%}"
        assert float(i18n.number(value).replace(",", "")) == float(f"{value:g}")


def test_dates():
    """A day is ISO in English and written out in Chinese."""
    import datetime as dt  # noqa: PLC0415

    day = dt.date(2026, 10, 3)
    assert i18n.date(day) == "2026-10-03"
    with i18n.use("zh"):
        assert i18n.date(day) == "2026年10月3日"


@given(st.text(max_size=20), st.integers(0, 30))
def test_padding_counts_columns(text: str, width: int):
    """ljust/rjust pad to display columns; for ASCII they are str.ljust/rjust."""
    assert i18n.columns(i18n.ljust(text, width)) == max(width, i18n.columns(text))
    assert i18n.ljust(text, width).startswith(text)
    assert i18n.rjust(text, width).endswith(text)
    if text.isascii() and text.isprintable():
        assert i18n.ljust(text, width) == text.ljust(width)
        assert i18n.rjust(text, width) == text.rjust(width)


# -- the worked example of docs/tracing.md, in both languages -------------------------------

WORKED = [
    {"metric": "product.defect_rate", "value": 0.05, "period": "2026-10", "unit": "production"},
    {"event": "supplier.late_delivery", "at": "2026-10-03T10:00:00Z", "unit": "purchasing",
     "supplier": "acme"},
]
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _documented_shares() -> dict[str, float]:
    """Return the share column of the worked example's table in docs/tracing.md."""
    text = (ROOT / "docs" / "tracing.md").read_text(encoding="utf-8")
    worked = text[text.index("## Worked example"):]
    rows = re.findall(r"^\| (\w+) \| [^|]+ \| [^|]+ \| (0\.\d+) \|$", worked, flags=re.MULTILINE)
    assert len(rows) >= 3
    return {unit: float(share) for unit, share in rows}


def _worked(tmp_path: Path, lang: str):
    facts_file = tmp_path / "worked.jsonl"
    facts_file.write_text("".join(json.dumps(f) + "\n" for f in WORKED), encoding="utf-8")
    model = servresp.load_default()
    with i18n.use(lang):
        facts = servresp.read_facts([str(facts_file)], model)
        return servresp.build_report(model, facts, promises=["product_works"])


def test_the_worked_example_reads_the_same_numbers_in_both_languages(tmp_path: Path):
    """docs/tracing.md: same shares and masses; every why sentence quotes the same numbers."""
    english, chinese = _worked(tmp_path, "en"), _worked(tmp_path, "zh")
    en_doc, zh_doc = english.to_dict(), chinese.to_dict()
    assert (en_doc["lang"], zh_doc["lang"]) == ("en", "zh")
    en_trace, zh_trace = en_doc["traces"][0], zh_doc["traces"][0]
    shares = {o["unit"]: round(o["share"], 4) for o in zh_trace["owners"]}
    assert shares == _documented_shares()
    assert shares == {o["unit"]: round(o["share"], 4) for o in en_trace["owners"]}
    for en_owner, zh_owner in zip(en_trace["owners"], zh_trace["owners"], strict=True):
        assert en_owner["mass"] == zh_owner["mass"]
        for en_why, zh_why in zip(en_owner["why"], zh_owner["why"], strict=True):
            assert sorted(NUMBER.findall(en_why)) == sorted(NUMBER.findall(zh_why)), (en_why, zh_why)
            assert not ENGLISH_RUN.search(zh_why), zh_why
        assert any(ENGLISH_RUN.search(w) for w in en_owner["why"])  # the check can fail
    en_text, zh_text = render_report(english), render_report(chinese, lang="zh")
    for share in shares.values():
        assert f"{share:.2%}" in en_text
        assert f"{share:.2%}" in zh_text
    assert "份额" in zh_text
    assert render_why(chinese, "qc", "product_works", lang="zh").startswith(
        f"qc 对 product_works（未兑现）承担 {shares['qc']:.2%} 的责任份额")


# -- the README tour with --lang zh ---------------------------------------------------------

def _tour() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL) if "servresp check" in b]
    commands = (line.split("#")[0].strip() for line in block.splitlines())
    return [c for c in commands if c.startswith("servresp")]


def _sentences(document: object) -> list[str]:
    """Return the strings of a JSON document written for people: why sentences and messages."""
    if isinstance(document, dict):
        return [text for key, value in document.items()
                for text in ([value] if key in {"why", "message", "hint"} and isinstance(value, str)
                             else value if key == "why" and isinstance(value, list) else _sentences(value))]
    if isinstance(document, list):
        return [text for value in document for text in _sentences(value)]
    return []


@pytest.mark.parametrize("command", _tour())
def test_tour_in_chinese_leaves_no_english_sentence(command: str, tmp_path: Path):
    """Each README tour command with SERVRESP_LANG=zh: Chinese apart from ids, codes, paths, numbers."""
    servresp_bin = Path(sys.executable).with_name("servresp")
    shell = command.replace("servresp ", f"{shlex.quote(str(servresp_bin))} ")
    shell = shell.replace("docs/charts", shlex.quote(str(tmp_path / "charts")))
    done = subprocess.run(["bash", "-c", shell], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False, env={**os.environ, "SERVRESP_LANG": "zh"})
    assert done.returncode in (0, 1), done.stderr
    if "--format json" in command:
        document = json.loads(done.stdout)
        assert document["lang"] == "zh"
        texts = [*_sentences(document), *done.stderr.splitlines()]
    else:
        texts = (done.stdout + done.stderr).splitlines()
    assert [text for text in texts if ENGLISH_RUN.search(text)] == []
    chinese = [text for text in texts if re.search(r"[\u4e00-\u9fff]", text)]
    assert chinese or command.startswith("servresp docs")


def test_watch_in_chinese(monkeypatch: pytest.MonkeyPatch):
    """watch: the status lines stay JSON (with lang zh), the summary is Chinese."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("sys.stdin", io.StringIO((ROOT / "examples" / "october.jsonl").read_text()))
    out, err = io.StringIO(), io.StringIO()
    assert main(["watch", "--lang", "zh"], stdout=out, stderr=err) == 0
    changes = [json.loads(line) for line in out.getvalue().splitlines()]
    assert changes
    assert {c["lang"] for c in changes} == {"zh"}
    assert "实时监控" in err.getvalue()
    assert not ENGLISH_RUN.search(err.getvalue())


def test_trace_json_in_chinese_validates_and_records_the_language(monkeypatch: pytest.MonkeyPatch):
    """--format json --lang zh: the same schema, lang zh, Chinese why sentences, same numbers."""
    monkeypatch.chdir(ROOT)
    documents = {}
    for lang in ("en", "zh"):
        out = io.StringIO()
        main(["trace", "service_as_promised", "--facts", "examples/october.jsonl", "--format", "json",
              "--lang", lang], stdout=out, stderr=io.StringIO())
        documents[lang] = json.loads(out.getvalue())
    schema = json.loads((ROOT / "docs" / "schema" / "trace.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(documents["zh"])
    assert documents["zh"]["lang"] == "zh"
    en_owners, zh_owners = documents["en"]["traces"][0]["owners"], documents["zh"]["traces"][0]["owners"]
    assert [(o["unit"], o["share"]) for o in en_owners] == [(o["unit"], o["share"]) for o in zh_owners]
    assert all(not ENGLISH_RUN.search(w) for o in zh_owners for w in o["why"])
    older = {k: v for k, v in documents["en"].items() if k != "lang"}
    jsonschema.Draft202012Validator(schema).validate(older)


def test_errors_in_chinese(monkeypatch: pytest.MonkeyPatch):
    """Our own error messages translate; exit code and layout stay."""
    monkeypatch.chdir(ROOT)
    err = io.StringIO()
    assert main(["why", "hrr", "service_as_promised", "--facts", "examples/october.jsonl", "--lang", "zh"],
                stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue() == "错误：未知的单位 'hrr'；是不是指 'hr'？\n"


def test_the_python_example_of_docs_i18n_runs(monkeypatch: pytest.MonkeyPatch):
    """docs/i18n.md's Python block runs from the checkout and its assertions hold."""
    monkeypatch.chdir(ROOT)
    text = (ROOT / "docs" / "i18n.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\nimport servresp\n(.*?)```", text, flags=re.DOTALL)
    exec(compile("import servresp\n" + code, "docs/i18n.md", "exec"), {})  # noqa: S102 - our own docs
