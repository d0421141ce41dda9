"""Tests for `servresp.graph`: the frozen typed graph and its graph-first queries."""

import attrs
import networkx as nx
import pytest
from hypothesis import given, settings

import servresp
from servresp.errors import UnknownIdError
from servresp.model.classes import (
    Citation,
    Comparator,
    DiagnosticRule,
    Domain,
    Duty,
    EventCondition,
    Faces,
    Model,
    Promise,
    Raci,
    Role,
    Signal,
    SignalKind,
    Source,
    Standard,
    Text,
    Unit,
    UnitKind,
    Window,
)
from servresp.model.graph import (
    DEPENDENCY_EDGES,
    build_graph,
    dependency_view,
    duties_reaching,
    management_duties_above,
    path_from_promise,
    plain_subgraph,
    roles_on,
    suppliers_of,
)
from strategies import models

T = Text("x", "某")
CITE = Citation("S0", "1")


def _unit(id_: str, kind: UnitKind = UnitKind.DEPARTMENT, members: tuple[str, ...] = ()) -> Unit:
    return Unit(id_, kind, T, Faces.BOTH, members)


def _duty(id_: str, raci: Raci, *supports: str) -> Duty:
    return Duty(id_, id_.split(".", 1)[0], T, raci, supports, CITE)


def company() -> Model:
    """Build management above sales, purchasing supplying sales, and a second promise."""
    units = [
        _unit("top_management", UnitKind.TIER), _unit("middle_management", UnitKind.TIER),
        _unit("employee", UnitKind.TIER), _unit("sales"), _unit("purchasing"),
        _unit("squad", UnitKind.TEAM, ("purchasing", "sales")),
    ]
    duties = [
        _duty("top_management.set_structure", Raci("top_management", ("top_management",)),
              "middle_management.supervise"),
        _duty("middle_management.supervise", Raci("middle_management", ("middle_management",)),
              "sales.quote"),
        _duty("purchasing.buy", Raci("purchasing", ("purchasing",)), "sales.quote"),
        _duty("sales.quote", Raci("sales", ("sales", "employee"), consulted=("purchasing",),
                                  informed=("top_management",)), "on_time"),
        _duty("sales.unrelated", Raci("sales", ("sales",)), "other"),
        _duty("employee.greet", Raci("sales", ("sales",)), "other"),
    ]
    standard = Standard("quotes_fast", T, "on_time", "quote.on_time_rate", Comparator.GE, 0.9,
                        Window.MONTH, Domain.TIME_LIMITS, ("sales.quote",), CITE)
    rule = DiagnosticRule("purchasing.late", EventCondition("supplier.late_delivery"),
                          ("purchasing.buy",), 1.0, T, CITE)
    return Model(
        units={u.id: u for u in units}, duties={d.id: d for d in duties},
        promises={p: Promise(p, T, CITE) for p in ("on_time", "other")},
        standards={standard.id: standard}, rules={rule.id: rule},
        signals={s.name: s for s in (
            Signal("quote.on_time_rate", SignalKind.METRIC, T, (0.0, 1.0)),
            Signal("supplier.late_delivery", SignalKind.EVENT, T))},
        sources={"S0": Source("S0", "Title", "000.txt")}, name="company",
    )


@pytest.fixture(scope="module")
def graph() -> "nx.DiGraph[str]":
    return company().graph


def test_node_types(graph: "nx.DiGraph[str]"):
    """Every node is typed: unit (with kind), duty (with owner), promise, standard, rule."""
    types = {n: d["type"] for n, d in graph.nodes(data=True)}
    assert sorted(n for n, t in types.items() if t == "unit") == [
        "employee", "middle_management", "purchasing", "sales", "squad", "top_management"]
    assert sorted(n for n, t in types.items() if t == "promise") == ["on_time", "other"]
    assert [n for n, t in types.items() if t == "standard"] == ["quotes_fast"]
    assert [n for n, t in types.items() if t == "rule"] == ["purchasing.late"]
    assert len([t for t in types.values() if t == "duty"]) == 6
    assert graph.nodes["squad"]["kind"] == "team"
    assert graph.nodes["sales.quote"]["owner"] == "sales"
    assert graph.nodes["quotes_fast"]["status"] == "standard"
    assert graph.graph["name"] == "company"


def test_edge_kinds(graph: "nx.DiGraph[str]"):
    """Edges are typed supports, serves, measures, owns, role, member_of and implicates."""
    by_kind: dict[str, set[tuple[str, str]]] = {}
    for u, v, kind in graph.edges(data="kind"):
        by_kind.setdefault(kind, set()).add((u, v))
    assert by_kind == {
        "supports": {
            ("top_management.set_structure", "middle_management.supervise"),
            ("middle_management.supervise", "sales.quote"), ("purchasing.buy", "sales.quote"),
            ("sales.quote", "on_time"), ("sales.unrelated", "other"), ("employee.greet", "other"),
        },
        "serves": {("sales.quote", "quotes_fast")},
        "measures": {("quotes_fast", "on_time")},
        "owns": {
            ("top_management", "top_management.set_structure"),
            ("middle_management", "middle_management.supervise"),
            ("purchasing", "purchasing.buy"), ("sales", "sales.quote"),
            ("sales", "sales.unrelated"), ("employee", "employee.greet"),
        },
        "role": {("employee", "sales.quote"), ("purchasing", "sales.quote"),
                 ("top_management", "sales.quote"), ("sales", "employee.greet")},
        "member_of": {("purchasing", "squad"), ("sales", "squad")},
        "implicates": {("purchasing.late", "purchasing.buy")},
    }


def test_owner_edge_carries_the_owners_roles(graph: "nx.DiGraph[str]"):
    """An owner's edge lists its RACI roles; an owner outside the RACI holds none."""
    assert graph.edges["sales", "sales.quote"]["roles"] == ("accountable", "responsible")
    assert graph.edges["employee", "employee.greet"]["roles"] == ()
    assert graph.edges["sales", "employee.greet"]["roles"] == ("accountable", "responsible")


@pytest.mark.parametrize("change", [
    lambda g: g.add_node("x"),
    lambda g: g.add_edge("sales", "purchasing"),
    lambda g: g.remove_node("sales"),
    lambda g: g.remove_edge("sales", "sales.quote"),
    lambda g: g.clear(),
])
def test_graph_is_frozen(graph: "nx.DiGraph[str]", change: object):
    """Changing the model's graph raises networkx's frozen-graph error."""
    assert nx.is_frozen(graph)
    with pytest.raises(nx.NetworkXError, match=r"^Frozen graph can't be modified$"):
        change(graph)  # type: ignore[operator]


def test_suppliers_of(graph: "nx.DiGraph[str]"):
    """The suppliers of a duty are every duty upstream along supports edges."""
    assert suppliers_of(graph, "sales.quote") == {
        "purchasing.buy", "middle_management.supervise", "top_management.set_structure"}
    assert suppliers_of(graph, "top_management.set_structure") == set()
    assert suppliers_of(graph, "employee.greet") == set()


def test_duties_reaching(graph: "nx.DiGraph[str]"):
    """Duties reaching a promise follow supports and serves edges; others are left out."""
    assert duties_reaching(graph, "on_time") == {
        "sales.quote", "purchasing.buy", "middle_management.supervise",
        "top_management.set_structure"}
    assert duties_reaching(graph, "other") == {"sales.unrelated", "employee.greet"}


def test_path_from_promise(graph: "nx.DiGraph[str]"):
    """The path runs from the promise against the flow to the duty; [] when none."""
    assert path_from_promise(graph, "on_time", "top_management.set_structure") == [
        "on_time", "sales.quote", "middle_management.supervise", "top_management.set_structure"]
    assert path_from_promise(graph, "on_time", "sales.quote") == ["on_time", "sales.quote"]
    assert path_from_promise(graph, "on_time", "sales.unrelated") == []


def test_management_duties_above(graph: "nx.DiGraph[str]"):
    """Only top and middle management duties upstream count; `employee` is not management."""
    assert management_duties_above(graph, "sales.quote") == {
        "middle_management.supervise", "top_management.set_structure"}
    assert management_duties_above(graph, "purchasing.buy") == set()
    assert management_duties_above(graph, "middle_management.supervise") == {
        "top_management.set_structure"}


def test_roles_on(graph: "nx.DiGraph[str]"):
    """`roles_on` maps each unit holding a role on a duty to its roles, sorted by unit id."""
    roles = roles_on(graph, "sales.quote")
    assert roles == {
        "employee": (Role.RESPONSIBLE,), "purchasing": (Role.CONSULTED,),
        "sales": (Role.ACCOUNTABLE, Role.RESPONSIBLE), "top_management": (Role.INFORMED,)}
    assert list(roles) == sorted(roles)
    assert roles_on(graph, "employee.greet") == {
        "employee": (), "sales": (Role.ACCOUNTABLE, Role.RESPONSIBLE)}


def test_dependency_view(graph: "nx.DiGraph[str]"):
    """The dependency view keeps only the edges of the kinds asked for."""
    assert {k for _, _, k in dependency_view(graph).edges(data="kind")} == DEPENDENCY_EDGES
    members = dependency_view(graph, ["member_of"])
    assert sorted(members.edges) == [("purchasing", "squad"), ("sales", "squad")]


def test_queries_return_new_values(graph: "nx.DiGraph[str]"):
    """Changing a query's result changes neither the graph nor the next result."""
    first = suppliers_of(graph, "sales.quote")
    first.clear()
    assert suppliers_of(graph, "sales.quote")
    path = path_from_promise(graph, "on_time", "sales.quote")
    path.append("x")
    assert path_from_promise(graph, "on_time", "sales.quote") == ["on_time", "sales.quote"]


@pytest.mark.parametrize(("query", "message"), [
    (lambda g: suppliers_of(g, "sales.qoute"), "unknown duty 'sales.qoute'; did you mean 'sales.quote'?"),
    (lambda g: roles_on(g, "on_time"), "unknown duty 'on_time'"),
    (lambda g: management_duties_above(g, "purchasing.bye"),
     "unknown duty 'purchasing.bye'; did you mean 'purchasing.buy'?"),
    (lambda g: duties_reaching(g, "ontime"), "unknown promise 'ontime'; did you mean 'on_time'?"),
    (lambda g: duties_reaching(g, "sales.quote"), "unknown promise 'sales.quote'"),
    (lambda g: path_from_promise(g, "on_time", "sales"),
     "unknown duty 'sales'; did you mean 'sales.quote'?"),
    (lambda g: path_from_promise(g, "other_", "sales.quote"),
     "unknown promise 'other_'; did you mean 'other'?"),
])
def test_unknown_ids(graph: "nx.DiGraph[str]", query: object, message: str):
    """An id of the wrong kind or a typo raises UnknownIdError with a did-you-mean."""
    with pytest.raises(UnknownIdError) as caught:
        query(graph)  # type: ignore[operator]
    assert str(caught.value) == message
    assert caught.value.message == message


def test_unknown_id_error_is_a_key_error(graph: "nx.DiGraph[str]"):
    """UnknownIdError carries the id and kind and can be caught as KeyError."""
    with pytest.raises(KeyError) as caught:
        roles_on(graph, "sales.qoute")
    assert isinstance(caught.value, UnknownIdError)
    assert (caught.value.kind, caught.value.id) == ("duty", "sales.qoute")


def test_model_graph_is_built_by_build_graph():
    """`Model.graph` is what `build_graph` returns for the model."""
    model = company()
    rebuilt = build_graph(model)
    assert nx.is_frozen(rebuilt)
    assert sorted(rebuilt.nodes(data=True)) == sorted(model.graph.nodes(data=True))
    assert sorted(rebuilt.edges(data=True)) == sorted(model.graph.edges(data=True))


@settings(max_examples=40)
@given(models())
def test_generated_graphs(model: Model):
    """On generated models, supports form a DAG, every duty reaches a promise, and paths hold."""
    graph = model.graph
    assert nx.is_frozen(graph)
    assert nx.is_directed_acyclic_graph(dependency_view(graph, ["supports"]))
    reaching = set().union(*(duties_reaching(graph, p) for p in model.promises))
    assert reaching == set(model.duties)
    for duty in model.duties:
        assert suppliers_of(graph, duty) <= set(model.duties) - {duty}
        assert management_duties_above(graph, duty) <= suppliers_of(graph, duty)
        assert set(roles_on(graph, duty)) >= set(model.duties[duty].raci.units())
        for promise in model.promises:
            path = path_from_promise(graph, promise, duty)
            assert (path != []) == (duty in duties_reaching(graph, promise))
            if path:
                assert (path[0], path[-1]) == (promise, duty)
                assert nx.is_path(graph, list(reversed(path)))


# --- the everyday questions, by model ----------------------------------------------------

DEFAULT = servresp.load_default()


def test_accountable_for_is_the_duty_owner() -> None:
    assert servresp.accountable_for(DEFAULT, "customer_service.resolve_on_the_spot") == "customer_service"
    with pytest.raises(UnknownIdError):
        servresp.accountable_for(DEFAULT, "customer_service.no_such_duty")


def test_duties_serving_a_promise_reach_it() -> None:
    serving = servresp.duties_serving(DEFAULT, "service_as_promised")
    assert "customer_service.meet_service_standards" in serving
    assert serving == sorted(serving)
    for duty in serving:
        assert nx.has_path(DEFAULT.dependencies, duty, "service_as_promised")


def test_upstream_and_downstream_are_mirror_images() -> None:
    for duty in list(DEFAULT.duties)[:20]:
        for supplier in servresp.upstream_of(DEFAULT, duty):
            assert duty in servresp.downstream_of(DEFAULT, supplier)


def test_units_implicated_by_a_signal_hold_roles_on_its_duties() -> None:
    signal = next(iter(DEFAULT.rules.values())).when.signal
    units = servresp.units_implicated_by(DEFAULT, signal)
    assert units
    assert set(units) <= set(DEFAULT.units)
    assert servresp.rules_reading(DEFAULT, signal)
    with pytest.raises(UnknownIdError):
        servresp.units_implicated_by(DEFAULT, "no.such_signal")


# --- cases found by mutation testing (docs/testing.md) -----------------------------------


def _with_idle_duty() -> Model:
    """company() plus ``sales.idle``: a duty that supports and serves nothing."""
    model = company()
    idle = _duty("sales.idle", Raci("sales", ("sales",)))
    return attrs.evolve(model, duties={**model.duties, idle.id: idle},
                        graph=None, dependencies=None, supports=None)


def test_a_duty_outside_every_chain_has_no_upstream_or_downstream() -> None:
    """A duty with no dependency edge is in neither view: both queries answer []."""
    model = _with_idle_duty()
    assert servresp.upstream_of(model, "sales.idle") == []
    assert servresp.downstream_of(model, "sales.idle") == []
    assert servresp.upstream_of(model, "sales.quote") == [
        "middle_management.supervise", "purchasing.buy", "top_management.set_structure"]
    assert servresp.downstream_of(model, "purchasing.buy") == ["on_time", "quotes_fast", "sales.quote"]


def test_rules_reading_names_only_the_rules_of_that_signal() -> None:
    """The rule reads the late-delivery event; no rule reads the quote metric."""
    model = company()
    assert servresp.rules_reading(model, "supplier.late_delivery") == ["purchasing.late"]
    assert servresp.rules_reading(model, "quote.on_time_rate") == []
    with pytest.raises(UnknownIdError) as caught:
        servresp.rules_reading(model, "quote.on_time")
    assert str(caught.value) == "unknown signal 'quote.on_time'; did you mean 'quote.on_time_rate'?"


def test_units_implicated_by_rules_and_by_measured_standards() -> None:
    """An event implicates its rule's duty's units; a metric its standard's serving duties' units."""
    model = company()
    assert servresp.units_implicated_by(model, "supplier.late_delivery") == ["purchasing"]
    assert servresp.units_implicated_by(model, "quote.on_time_rate") == [
        "employee", "purchasing", "sales", "top_management"]


def _one_at_a_time(model: Model) -> "nx.DiGraph[str]":
    """Build the typed graph with one `add_node` or `add_edge` call per node and edge."""
    graph: nx.DiGraph[str] = nx.DiGraph(name=model.name)
    for unit in model.units.values():
        graph.add_node(unit.id, type="unit", kind=str(unit.kind))
    for promise in model.promises.values():
        graph.add_node(promise.id, type="promise")
    for standard in model.standards.values():
        graph.add_node(standard.id, type="standard", status=str(standard.status))
        graph.add_edge(standard.id, standard.promise, kind="measures")
    for duty in model.duties.values():
        graph.add_node(duty.id, type="duty", owner=duty.owner)
    for duty in model.duties.values():
        _duty_edges_one_at_a_time(graph, duty)
    _later_edges_one_at_a_time(graph, model)
    return graph


def _later_edges_one_at_a_time(graph: "nx.DiGraph[str]", model: Model) -> None:
    for standard in model.standards.values():
        for duty_id in standard.served_by:
            graph.add_edge(duty_id, standard.id, kind="serves")
    for unit in model.units.values():
        for member in unit.members:
            graph.add_edge(member, unit.id, kind="member_of")
    for rule in model.rules.values():
        graph.add_node(rule.id, type="rule")
        for duty_id in rule.implicates:
            graph.add_edge(rule.id, duty_id, kind="implicates")


def _duty_edges_one_at_a_time(graph: "nx.DiGraph[str]", duty: Duty) -> None:
    for holder in duty.raci.units():
        roles = tuple(str(r) for r in duty.raci.roles_of(holder))
        graph.add_edge(holder, duty.id, kind="owns" if holder == duty.owner else "role", roles=roles)
    if duty.owner not in duty.raci.units():
        graph.add_edge(duty.owner, duty.id, kind="owns", roles=())
    for target in duty.supports:
        graph.add_edge(duty.id, target, kind="supports")


def _layout(graph: "nx.DiGraph[str]") -> object:
    """Everything order-sensitive about a graph: nodes, edges and both adjacencies, with data."""
    return (graph.graph, list(graph.nodes(data=True)), list(graph.edges(data=True)),
            [(n, list(graph.pred[n].items())) for n in graph])


def test_batched_graph_is_built_as_one_call_at_a_time_would_build_it() -> None:
    """`build_graph` adds in batches; nodes, edges, data and their order are unchanged."""
    model = company()
    assert _layout(build_graph(model)) == _layout(_one_at_a_time(model))


def test_batched_graph_keeps_the_order_with_dangling_references() -> None:
    """A model built in code that names unknown ids: the nodes still come in the same order."""
    base = company()
    rules = {
        "a.first": DiagnosticRule("a.first", EventCondition("supplier.late_delivery"),
                                  ("ghost.duty", "a.second"), 1.0, T, CITE),
        "a.second": DiagnosticRule("a.second", EventCondition("supplier.late_delivery"),
                                   ("purchasing.buy",), 1.0, T, CITE),
    }
    raci = Raci("nobody", ("sales", "sales"), consulted=("sales",))
    duties = {**base.duties, "sales.odd": _duty("sales.odd", raci, "nowhere")}
    model = attrs.evolve(base, rules=rules, duties=duties, graph=None, dependencies=None, supports=None)
    assert _layout(build_graph(model)) == _layout(_one_at_a_time(model))


@settings(max_examples=30)
@given(models())
def test_batched_graph_matches_on_generated_models(model: Model) -> None:
    """Generated models give the same graph, and the same plain subgraphs, built either way."""
    assert _layout(model.graph) == _layout(_one_at_a_time(model))
    for kinds in (DEPENDENCY_EDGES, ("supports",)):
        reference: nx.DiGraph[str] = nx.DiGraph()
        reference.add_edges_from((u, v, d) for u, v, d in model.graph.edges(data=True) if d["kind"] in kinds)
        assert _layout(plain_subgraph(model.graph, kinds)) == _layout(reference)
