"""Tests for servresp.cli.lang: --lang on every command for people, its default, the language it runs in."""

import argparse
import io
from pathlib import Path

import pytest

from servresp import i18n
from servresp.cli import _build_parser, main
from servresp.cli.lang import KEEP_OWN, NO_LANG, speaking

ROOT = Path(__file__).resolve().parents[2]


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser, _ = _build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    return dict(sub.choices)


def _lang_option(parser: argparse.ArgumentParser) -> argparse.Action | None:
    return next((a for a in parser._actions if "--lang" in a.option_strings), None)  # noqa: SLF001


def test_every_command_for_people_takes_every_language():
    """Each command but the servers and the site has --lang en|zh|zh_Hant."""
    for name, parser in _commands().items():
        option = _lang_option(parser)
        if name in NO_LANG:
            assert option is None, name
        elif name in KEEP_OWN:
            assert option is not None
            assert option.default == "en", name
        else:
            assert option is not None, name
            assert tuple(option.choices or ()) == i18n.LANGS, name


def test_the_default_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    """SERVRESP_LANG (or the locale) sets the default; --lang wins over it."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SERVRESP_LANG", "zh")
    out = io.StringIO()
    assert main(["check"], stdout=out, stderr=io.StringIO()) == 0
    assert "检查结果：0 个错误" in out.getvalue()
    out = io.StringIO()
    assert main(["check", "--lang", "en"], stdout=out, stderr=io.StringIO()) == 0
    assert "check: 0 errors" in out.getvalue()
    monkeypatch.delenv("SERVRESP_LANG")
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    out = io.StringIO()
    assert main(["check"], stdout=out, stderr=io.StringIO()) == 0
    assert "檢查結果" in out.getvalue()


def test_an_unknown_language_is_a_usage_error():
    """--lang fr: argparse names the choices, exit 2."""
    err = io.StringIO()
    assert main(["check", "--lang", "fr"], stdout=io.StringIO(), stderr=err) == 2
    assert "invalid choice: 'fr'" in err.getvalue()


def test_docs_writes_english_charts_and_speaks_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path):
    """docs: the charts stay English without --lang; its messages follow SERVRESP_LANG."""
    monkeypatch.setenv("SERVRESP_LANG", "zh")
    out = io.StringIO()
    assert main(["docs", str(tmp_path)], stdout=out, stderr=io.StringIO()) == 0
    assert out.getvalue().startswith("已写入 ")
    written = (tmp_path / "raci.md").read_text(encoding="utf-8")
    assert written == (ROOT / "docs" / "charts" / "raci.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("namespace", "expected"), [
    (argparse.Namespace(command="check", lang="zh_Hant"), "zh_Hant"),
    (argparse.Namespace(command="serve"), "en"),
    (argparse.Namespace(command="docs", lang="zh"), "en"),
])
def test_speaking(namespace: argparse.Namespace, expected: str):
    """A command runs in its --lang; docs in the environment's (English in the tests); servers in English."""
    with speaking(namespace) as lang:
        assert lang == expected == i18n.current()
    assert i18n.current() == "en"
