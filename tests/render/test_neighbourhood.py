import io
from pathlib import Path

import pytest
from hypothesis import given, settings

from servresp.cli import main
from servresp.errors import UnknownIdError
from servresp.model.classes import Model
from servresp.model.load import load_default, load_model
from servresp.render.neighbourhood import render_neighbourhood
from strategies import models

MINIMAL = Path(__file__).parents[1] / "data" / "minimal"


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model(MINIMAL)


def show(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["show", *argv, "--rules", str(MINIMAL)], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_unit(model: Model) -> None:
    """A unit shows its kind, whom it faces, its duties and its roles on others' duties."""
    assert render_neighbourhood(model, "buyer") == (
        "unit buyer — Purchasing\n"
        "  kind:            department\n"
        "  faces:           internal\n"
        "duties (1):\n"
        "  buyer.buy_on_time  Buy on time\n"
        "roles on other units' duties (1):\n"
        "  desk.answer_calls  C    owner desk\n"
    )


def test_duty(model: Model) -> None:
    """A duty shows owner, texts, RACI, supports both ways, standards, rules and citation."""
    assert render_neighbourhood(model, "desk.answer_calls") == (
        "duty desk.answer_calls\n"
        "  owner:           desk (Service desk)\n"
        "  text (en):       Answer calls\n"
        "  text (zh):       接听电话\n"
        "  raci:            A desk · R desk · C buyer\n"
        "  supports:        service_ok\n"
        "  supported by:    boss.organise, buyer.buy_on_time\n"
        "  serves:          calls_answered\n"
        "  implicated by:   -\n"
        "  source:          S4 §3.客户服务部 — Customer retention management\n"
    )


def test_duty_implicated_by_a_rule(model: Model) -> None:
    """The rules that implicate a duty are listed with it."""
    assert "  implicated by:   desk.late_supplies\n" in render_neighbourhood(model, "buyer.buy_on_time")


def test_promise(model: Model) -> None:
    """A promise shows its standards and the duties reaching it, grouped by owner."""
    assert render_neighbourhood(model, "service_ok") == (
        "promise service_ok\n"
        "  text (en):       The service is as promised\n"
        "  text (zh):       期望所得到的服务确实如您所说\n"
        "  source:          S4 §1.企业\n"
        "standards (1):\n"
        "  calls_answered  call.answered_rate >= 0.96 per month\n"
        "duties reaching it, by owner (3):\n"
        "  boss (Top management)\n"
        "    boss.organise\n"
        "  buyer (Purchasing)\n"
        "    buyer.buy_on_time\n"
        "  desk (Service desk)\n"
        "    desk.answer_calls\n"
    )


def test_standard(model: Model) -> None:
    """A standard shows its target, window, baseline, domain, status and who serves it."""
    text = render_neighbourhood(model, "calls_answered")
    assert text.startswith("standard calls_answered\n")
    for line in ("  target:          call.answered_rate >= 0.96 per month\n",
                 "  baseline:        -\n", "  domain:          time_limits\n",
                 "  status:          standard\n", "  served by:       desk.answer_calls\n"):
        assert line in text


def test_rule(model: Model) -> None:
    """A rule shows its condition, what it implicates and its weight."""
    assert render_neighbourhood(model, "desk.late_supplies") == (
        "rule desk.late_supplies\n"
        "  when:            at least 2 × event supplier.late_delivery\n"
        "  threshold:       the company's choice\n"
        "  implicates:      buyer.buy_on_time\n"
        "  weight:          0.5\n"
        "  reason (en):     Late supplies\n"
        "  reason (zh):     供货延迟\n"
        "  source:          S4 §6.采购部\n"
    )


def test_signal(model: Model) -> None:
    """A signal shows its kind, range and who reads it."""
    text = render_neighbourhood(model, "call.answered_rate")
    assert "  range:           [0, 1]\n" in text
    assert "  read by:         calls_answered\n" in text


def test_chinese(model: Model) -> None:
    """--lang zh: Chinese labels, the unit's Chinese name and the Chinese text only."""
    assert render_neighbourhood(model, "desk", lang="zh").startswith("单位 desk — 客户服务部\n")
    duty = render_neighbourhood(model, "desk.answer_calls", lang="zh")
    assert "  内容:            接听电话\n" in duty
    assert "Answer calls" not in duty


def test_traditional_chinese_reads_the_chinese_text(model: Model) -> None:
    """zh_Hant: Traditional labels, the model's zh texts (the model has no other), no English."""
    duty = render_neighbourhood(model, "desk.answer_calls", lang="zh_Hant")
    assert duty.startswith("職責 desk.answer_calls\n")
    assert "  內容:            接听电话\n" in duty
    assert "Answer calls" not in duty


def test_unknown_id_suggests_the_closest(model: Model) -> None:
    """An unknown id raises UnknownIdError with a did-you-mean over every id."""
    with pytest.raises(UnknownIdError) as caught:
        render_neighbourhood(model, "desk.answer_call")
    assert str(caught.value) == "unknown id 'desk.answer_call'; did you mean 'desk.answer_calls'?"
    assert caught.value.id == "desk.answer_call"


def test_unknown_signal_suggests_the_signal(model: Model) -> None:
    """Signal names are suggested too."""
    with pytest.raises(UnknownIdError, match=r"did you mean 'call\.answered_rate'"):
        render_neighbourhood(model, "call.answerd_rate")


def test_cli_show() -> None:
    """`servresp show ID` prints the neighbourhood and exits 0."""
    code, out, err = show("desk.answer_calls")
    assert (code, err) == (0, "")
    assert out.startswith("duty desk.answer_calls\n")


def test_cli_show_unknown_id_exits_2() -> None:
    """An unknown id is one error line with a suggestion on stderr, exit 2."""
    code, out, err = show("desk.answer_call")
    assert (code, out) == (2, "")
    assert err == "error: unknown id 'desk.answer_call'; did you mean 'desk.answer_calls'?\n"


def test_every_id_of_the_bundled_model_shows() -> None:
    """Each unit, duty, promise, standard, rule and signal of the bundled model can be shown."""
    bundled = load_default()  # a broken bundled model fails here, it is not skipped
    for id_ in [*bundled.graph.nodes, *bundled.signals]:
        text = render_neighbourhood(bundled, id_)
        assert text.splitlines()[0].split()[1] == id_


@settings(max_examples=40, deadline=None)
@given(models())
def test_any_generated_model(generated: Model) -> None:
    """Every id of any model shows; texts with newlines stay on their line."""
    ids = [*generated.graph.nodes, *generated.signals]
    for id_ in ids:
        text = render_neighbourhood(generated, id_)
        kind, shown = text.splitlines()[0].split()[:2]
        assert shown == id_
        assert kind in ("unit", "duty", "promise", "standard", "rule", "signal")
    for unit in generated.units.values():
        first = render_neighbourhood(generated, unit.id).splitlines()[1]
        assert first.startswith("  kind:")


def test_duty_shows_its_barriers() -> None:
    """A barrier names what it catches; the caught duty names its barrier (docs/faulttrees.md)."""
    model = load_default()
    barrier = render_neighbourhood(model, "qc.product_quality")
    assert "  catches:         production.product_quality" in barrier
    caught = render_neighbourhood(model, "production.product_quality")
    assert "  caught by:       qc.product_quality" in caught
