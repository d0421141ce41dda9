// Where the JSON comes from: the service's API, or the documents a static site embeds.
// Both give the same documents (servresp.model/1, servresp.node/1, servresp.trace/1, servresp.readings/1).

const embedded = window.SERVRESP_DATA || null;

export const isStatic = embedded !== null;

async function getJson(url, init) {
  const response = await fetch(url, init);
  const body = await response.text();
  if (!response.ok) throw new Error(body || `${response.status} ${response.statusText}`);
  return JSON.parse(body);
}

export async function loadModel() {
  return isStatic ? embedded.model : getJson("model");
}

const nodeCache = new Map();
const PLURAL = { unit: "units", duty: "duties", promise: "promises" };

/** The servresp.node/1 document of a unit, duty or promise. */
export async function loadNode(kind, id) {
  const key = `${kind}:${id}`;
  if (!nodeCache.has(key)) {
    nodeCache.set(key, isStatic
      ? Promise.resolve(embedded.nodes[id])
      : getJson(`${PLURAL[kind]}/${encodeURIComponent(id)}`));
  }
  return nodeCache.get(key);
}

/** The bundled examples a static site carries: [{name, trace, readings}]. */
export function examples() {
  return isStatic ? embedded.examples || [] : [];
}

function contentType(body) {
  // A JSON list is JSON; anything else (one object a line) is JSONL.
  return /^\s*\[/.test(body) ? "application/json" : "application/x-ndjson";
}

function query(period) {
  return period ? `?period=${encodeURIComponent(period)}` : "";
}

/** POST facts (JSON list or JSONL text) to the service; return its servresp.trace/1 report. */
export async function traceFacts(body, period) {
  return getJson(`trace${query(period)}`, { method: "POST", headers: { "Content-Type": contentType(body) }, body });
}

/** POST facts to the service; return servresp.readings/1 (every period, so no period to choose). */
export async function readFacts(body) {
  return getJson("readings", { method: "POST", headers: { "Content-Type": contentType(body) }, body });
}
