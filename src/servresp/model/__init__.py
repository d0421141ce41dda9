"""The model stage: rules folders → a frozen `Model` and its networkx graph.

- `servresp.model.classes`: the frozen attrs classes (`Model`, `Unit`, `Duty`, …);
- `servresp.model.load`: read and validate a rules folder (every problem located);
- `servresp.model.faulttree`: a promise's fault tree from its gates and barriers;
- `servresp.model.graph`: the graph's queries: who is accountable for a duty, which duties
  serve a promise, which units a signal can implicate, what is upstream or downstream.

Nothing here starts the rules engine.
"""

from servresp.model.classes import (
    Citation,
    Comparator,
    DiagnosticRule,
    Domain,
    Duty,
    EventCondition,
    Faces,
    Gate,
    GateKind,
    MetricCondition,
    Model,
    Promise,
    Raci,
    Role,
    Signal,
    SignalKind,
    Source,
    Standard,
    StandardStatus,
    Text,
    TracingParameters,
    Unit,
    UnitKind,
    Window,
)
from servresp.model.faulttree import FaultTree, fault_tree
from servresp.model.graph import (
    DEPENDENCY_EDGES,
    accountable_for,
    build_graph,
    dependency_view,
    downstream_of,
    duties_reaching,
    duties_serving,
    management_duties_above,
    path_from_promise,
    plain_subgraph,
    roles_on,
    rules_reading,
    suppliers_of,
    units_implicated_by,
    upstream_of,
)
from servresp.model.load import (
    default_rules_dir,
    iter_problems,
    load_default,
    load_model,
)

__all__ = [
    "DEPENDENCY_EDGES",
    "Citation",
    "Comparator",
    "DiagnosticRule",
    "Domain",
    "Duty",
    "EventCondition",
    "Faces",
    "FaultTree",
    "Gate",
    "GateKind",
    "MetricCondition",
    "Model",
    "Promise",
    "Raci",
    "Role",
    "Signal",
    "SignalKind",
    "Source",
    "Standard",
    "StandardStatus",
    "Text",
    "TracingParameters",
    "Unit",
    "UnitKind",
    "Window",
    "accountable_for",
    "build_graph",
    "default_rules_dir",
    "dependency_view",
    "downstream_of",
    "duties_reaching",
    "duties_serving",
    "fault_tree",
    "iter_problems",
    "load_default",
    "load_model",
    "management_duties_above",
    "path_from_promise",
    "plain_subgraph",
    "roles_on",
    "rules_reading",
    "suppliers_of",
    "units_implicated_by",
    "upstream_of",
]
