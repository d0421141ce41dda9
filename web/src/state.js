// The explorer's shared state: the model, its lookups, and the trace being looked at.

export const state = {
  model: null,
  byId: new Map(),      // id → {kind, object}
  report: null,         // the servresp.trace/1 report on screen
  readings: null,       // the servresp.readings/1 document of the same facts
  listeners: [],
};

export function indexModel(model) {
  state.model = model;
  state.byId.clear();
  for (const [kind, list] of [["unit", model.units], ["duty", model.duties], ["promise", model.promises],
    ["standard", model.standards], ["rule", model.rules]]) {
    for (const object of list) state.byId.set(object.id, { kind, object });
  }
}

export function kindOf(id) { return state.byId.get(id)?.kind; }
export function objectOf(id) { return state.byId.get(id)?.object; }
