"""The model stage: rules folders → a frozen `Model` and its networkx graph.

- `servresp.model.classes`: the frozen attrs classes (`Model`, `Unit`, `Duty`, …);
- `servresp.model.load`: read and validate a rules folder (every problem located);
- `servresp.model.faulttree`: a promise's fault tree from its gates and barriers (imported on
  first use: tracing needs none of it);
- `servresp.model.graph`: the graph's queries: who is accountable for a duty, which duties
  serve a promise, which units a signal can implicate, what is upstream or downstream, which
  duties catch a duty's failures.

Nothing here starts the rules engine.
"""

from typing import TYPE_CHECKING

from servresp._lazy import lazy_exports
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
from servresp.model.graph import (
    DEPENDENCY_EDGES,
    accountable_for,
    barriers_of,
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

if TYPE_CHECKING:
    from servresp.model.faulttree import FaultTree, fault_tree

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
    "barriers_of",
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

__getattr__, __dir__ = lazy_exports(__name__, {
    "FaultTree": "servresp.model.faulttree", "fault_tree": "servresp.model.faulttree",
}, __all__)
