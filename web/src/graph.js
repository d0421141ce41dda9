// The organisation graph: units, duties, standards and promises, with search and filters.
// Large models open on their units only; a unit or a promise opens its neighbourhood.
import cytoscape from "cytoscape";
import { loadNode } from "./data.js";
import { lang, t, text } from "./i18n.js";
import { openPanel } from "./panel.js";
import { kindOf, objectOf, state } from "./state.js";
import { clear, el, select } from "./util.js";

const FULL_LIMIT = 400;   // at most this many nodes are drawn whole; larger models open on units
const ROLES = ["accountable", "responsible", "consulted", "informed"];
const filters = { unit: "", promise: "", role: "" };
let cy = null;
let container = null;
let info = null;
let toolbar = null;

const STYLE = [
  { selector: "node", style: { label: "data(label)", "font-size": 11, "text-wrap": "wrap", "text-max-width": 110,
    "text-valign": "bottom", "text-margin-y": 3, color: "#1f2933", "min-zoomed-font-size": 7 } },
  { selector: "node.unit", style: { shape: "round-rectangle", width: 34, height: 22, "background-color": "#3e6fb0", "font-weight": "bold" } },
  { selector: "node.unit.tier", style: { "background-color": "#7b4fa3" } },
  { selector: "node.unit.team", style: { "background-color": "#3f8f8a" } },
  { selector: "node.overview", style: { "min-zoomed-font-size": 16 } },
  { selector: "node.duty", style: { width: 14, height: 14, "background-color": "#5b8fd0", "font-size": 10, "min-zoomed-font-size": 8 } },
  { selector: "node.unit:parent", style: { shape: "round-rectangle", "background-color": "#eaf1fb", "background-opacity": 1,
    "border-width": 2, "border-color": "#3e6fb0", "text-valign": "top", "text-margin-y": -4, "font-size": 13, padding: 8 } },
  { selector: "node.unit.tier:parent", style: { "background-color": "#f3ecf8", "border-color": "#7b4fa3" } },
  { selector: "node.unit.team:parent", style: { "background-color": "#e6f4f3", "border-color": "#3f8f8a" } },
  { selector: "node.standard", style: { shape: "tag", width: 16, height: 14, "background-color": "#b6b6b6", "font-size": 9 } },
  { selector: "node.promise", style: { shape: "diamond", width: 34, height: 34, "background-color": "#e08a2c", "font-weight": "bold" } },
  { selector: "node:selected, node.hit", style: { "border-width": 4, "border-color": "#d62d20", "z-index": 10 } },
  { selector: "edge.pathlink", style: { "line-style": "dashed" } },
  { selector: "edge", style: { width: 1, "line-color": "#aab6c3", "target-arrow-color": "#aab6c3", opacity: 0.5,
    "target-arrow-shape": "triangle", "arrow-scale": 0.7, "curve-style": "bezier" } },
  { selector: "edge.owns", style: { "line-color": "#3e6fb0", "target-arrow-color": "#3e6fb0", opacity: 0.45 } },
  { selector: "edge.role", style: { "line-style": "dashed", "line-color": "#7b4fa3", "target-arrow-color": "#7b4fa3",
    label: "data(label)", "font-size": 9, "text-rotation": "autorotate", color: "#7b4fa3", opacity: 0.9 } },
  { selector: "edge.serves, edge.measures", style: { "line-color": "#e08a2c", "target-arrow-color": "#e08a2c", opacity: 0.9 } },
  { selector: "edge.member_of", style: { "line-style": "dotted" } },
  { selector: "edge.supports", style: { opacity: 0.18 } },
  { selector: "edge.near", style: { opacity: 1, width: 2, "line-color": "#d62d20", "target-arrow-color": "#d62d20" } },
  { selector: ".faded", style: { opacity: 0.12 } },
  { selector: "node.unit:parent.faded", style: { opacity: 0.5 } },
  { selector: "edge.hit", style: { opacity: 1, width: 3, "line-color": "#d62d20", "target-arrow-color": "#d62d20", "z-index": 10 } },
];

function label(id, kind) {
  const object = objectOf(id);
  if (kind === "unit") return text(object.name) || id;
  if (kind === "duty") {
    if (lang() === "zh") { const zh = text(object.text); return zh.length > 14 ? `${zh.slice(0, 14)}…` : zh; }
    return id.slice(id.indexOf(".") + 1).replaceAll("_", " ");
  }
  return id.replaceAll("_", " ");
}

function node(id, kind, parent) {
  const unitKind = kind === "unit" ? objectOf(id).kind : "";
  return { group: "nodes", data: { id, label: label(id, kind), parent }, classes: `${kind} ${unitKind}` };
}

/** The role letters a unit holds on a duty, read from the duty's RACI. */
function rolesOf(duty, unit) {
  const raci = objectOf(duty).raci;
  return ROLES.filter((r) => (Array.isArray(raci[r]) ? raci[r].includes(unit) : raci[r] === unit));
}

async function chosenDuties() {
  let duties = null;
  if (filters.promise) duties = new Set((await loadNode("promise", filters.promise)).duties);
  if (filters.unit) {
    const doc = await loadNode("unit", filters.unit);
    const mine = Object.entries(doc.roles)
      .filter(([, roles]) => !filters.role || roles.includes(filters.role)).map(([duty]) => duty);
    if (!filters.role) mine.push(...doc.owns);
    duties = new Set(duties ? mine.filter((d) => duties.has(d)) : mine);
  }
  return duties;
}

function isLarge() {
  const m = state.model;
  return m.units.length + m.duties.length + m.promises.length + m.standards.length > FULL_LIMIT;
}

/** The elements to draw for the current filters. */
async function elements() {
  const m = state.model;
  let duties = await chosenDuties();
  if (!duties) {
    if (isLarge()) {
      const units = m.units.map((u) => ({ ...node(u.id, "unit"), classes: `unit ${u.kind} overview` }));
      const edges = m.edges.filter((e) => e.kind === "member_of")
        .map((e) => ({ group: "edges", data: { source: e.from, target: e.to }, classes: e.kind }));
      return { list: [...units, ...edges], overview: true };
    }
    duties = new Set(m.duties.map((d) => d.id));
  }
  const ids = new Map();
  const add = (id, kind) => { if (!ids.has(id)) ids.set(id, kind); };
  for (const d of duties) { add(d, "duty"); add(objectOf(d).owner, "unit"); }
  if (filters.unit) add(filters.unit, "unit");
  for (const s of m.standards) {
    if (s.served_by.some((d) => duties.has(d)) || s.promise === filters.promise) {
      add(s.id, "standard"); add(s.promise, "promise");
    }
  }
  if (filters.promise) add(filters.promise, "promise");
  const showRoles = filters.unit || filters.role;
  const edges = [];
  for (const e of m.edges) {
    if (e.kind === "role") {
      if (!showRoles || !duties.has(e.to) || (filters.unit && e.from !== filters.unit)) continue;
      const roles = rolesOf(e.to, e.from).filter((r) => !filters.role || r === filters.role);
      if (roles.length === 0) continue;
      add(e.from, "unit");
      edges.push({ group: "edges", data: { source: e.from, target: e.to, label: roles.map((r) => r[0].toUpperCase()).join("") }, classes: "role" });
    } else if (ids.has(e.from) && ids.has(e.to) && e.kind !== "implicates") {
      edges.push({ group: "edges", data: { source: e.from, target: e.to }, classes: e.kind });
    }
  }
  // Duties sit inside their owner's box (a compound node), so "owns" needs no edge.
  const nodes = [...ids].map(([id, kind]) => node(id, kind, kind === "duty" ? objectOf(id).owner : undefined));
  return { list: [...nodes, ...edges.filter((e) => e.classes !== "owns")], overview: false };
}

const CELL_W = 120;   // room for one duty and its label inside a unit's box
const CELL_H = 46;
const ROW_W = 1900;  // boxes wrap onto a new shelf past this width

/** Where each node goes: promises and their standards in a band on top, then unit boxes on shelves. */
function positions(list) {
  const at = new Map();
  const kids = new Map();
  const tops = [];
  for (const item of list) {
    if (item.group !== "nodes") continue;
    const { id, parent } = item.data;
    if (parent) { if (!kids.has(parent)) kids.set(parent, []); kids.get(parent).push(id); }
  }
  const kind = (item) => item.classes.split(" ")[0];
  const promises = list.filter((i) => i.group === "nodes" && kind(i) === "promise").map((i) => i.data.id);
  const standards = list.filter((i) => i.group === "nodes" && kind(i) === "standard").map((i) => i.data.id);
  let x = 0;
  for (const p of promises) {
    const mine = standards.filter((s) => objectOf(s).promise === p);
    const width = Math.max(1, mine.length) * CELL_W;
    at.set(p, { x: x + width / 2, y: 0 });
    mine.forEach((s, i) => at.set(s, { x: x + i * CELL_W + CELL_W / 2, y: 70 }));
    x += width + 40;
    tops.push(p);
  }
  const order = { tier: 0, department: 1, team: 2 };
  const units = list.filter((i) => i.group === "nodes" && kind(i) === "unit").map((i) => i.data.id)
    .sort((a, b) => (order[objectOf(a).kind] ?? 3) - (order[objectOf(b).kind] ?? 3) || a.localeCompare(b));
  let shelfX = 0;
  let shelfY = promises.length ? 170 : 0;
  let shelfH = 0;
  for (const u of units) {
    const duties = (kids.get(u) || []).sort();
    const cols = Math.max(1, Math.min(4, Math.ceil(Math.sqrt(duties.length * 1.5))));
    const rows = Math.ceil(duties.length / cols);
    const w = cols * CELL_W;
    const h = Math.max(1, rows) * CELL_H + 30;
    if (shelfX > 0 && shelfX + w > ROW_W) { shelfX = 0; shelfY += shelfH; shelfH = 0; }
    if (duties.length === 0) at.set(u, { x: shelfX + w / 2, y: shelfY + 20 });
    duties.forEach((d, i) => at.set(d, { x: shelfX + (i % cols) * CELL_W + CELL_W / 2, y: shelfY + 30 + Math.floor(i / cols) * CELL_H }));
    shelfX += w + 40;
    shelfH = Math.max(shelfH, h + 40);
  }
  return at;
}

function layoutFor(list, overview) {
  if (overview) return { name: "grid", avoidOverlap: true, condense: true };
  const at = positions(list);
  return { name: "preset", positions: (n) => at.get(n.id()) || { x: 0, y: 0 }, fit: true, padding: 20 };
}

/** Redraw the graph for the current filters. */
export async function drawGraph() {
  const { list, overview } = await elements();
  if (cy) cy.destroy();
  cy = cytoscape({ container, elements: list, style: STYLE, minZoom: 0.05, maxZoom: 4,
    textureOnViewport: list.length > 2000, hideEdgesOnViewport: list.length > 2000 });
  cy.layout(layoutFor(list, overview)).run();
  cy.on("select", "node", (e) => {
    cy.elements().addClass("faded");
    e.target.closedNeighborhood().union(e.target.ancestors()).union(e.target.descendants()).removeClass("faded").addClass("near");
  });
  cy.on("unselect", "node", () => cy.elements().removeClass("faded near"));
  cy.on("tap", "node", (e) => {
    const id = e.target.id();
    if (overview) { setFilter("unit", id); }
    openPanel(id);
  });
  info.textContent = overview ? t("overview") : t("shown", { n: cy.nodes().length });
  document.body.dataset.graph = "ready";
  document.body.dataset.nodes = String(cy.nodes().length);
  if (!document.body.dataset.graphMs) document.body.dataset.graphMs = String(Math.round(performance.now()));
}

function setFilter(key, value) {
  filters[key] = value;
  renderToolbar();
  drawGraph();
}

/** Centre on `id`, selecting it; widen the filters first when it is not drawn. */
export async function focus(id, { select = true } = {}) {
  const kind = kindOf(id);
  if (!cy?.getElementById(id).length) {
    filters.role = "";
    if (kind === "duty") { filters.unit = objectOf(id).owner; filters.promise = ""; }
    if (kind === "unit") { filters.unit = id; filters.promise = ""; }
    if (kind === "promise") { filters.promise = id; filters.unit = ""; }
    if (kind === "standard") { filters.promise = objectOf(id).promise; filters.unit = ""; }
    renderToolbar();
    await drawGraph();
  }
  const target = cy.getElementById(id);
  if (!target.length || !select) return;
  cy.elements().unselect();
  target.select();
  cy.animate({ center: { eles: target }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 200 });
}

function find(query) {
  const q = query.trim().toLowerCase();
  if (!q) return null;
  if (state.byId.has(query.trim())) return query.trim();
  for (const kind of ["unit", "duty", "promise", "standard"]) {
    for (const [id, entry] of state.byId) {
      if (entry.kind !== kind) continue;
      const o = entry.object;
      const hay = [id, id.replaceAll("_", " "), o.name?.en, o.name?.zh, o.text?.en, o.text?.zh].filter(Boolean).join(" ").toLowerCase();
      if (hay.includes(q)) return id;
    }
  }
  return null;
}

function search(query) {
  const id = find(query);
  const box = document.getElementById("graph-search");
  box.classList.toggle("miss", !id);
  box.title = id ? "" : t("notFound");
  if (id) { focus(id); openPanel(id); }
}

function renderToolbar() {
  const m = state.model;
  const input = el("input", { id: "graph-search", type: "search", placeholder: t("search"), list: "graph-ids",
    onkeydown: (e) => { if (e.key === "Enter") search(e.target.value); } });
  clear(toolbar).append(
    input,
    el("button", { id: "graph-search-go", onclick: () => search(input.value) }, t("searchGo")),
    el("datalist", { id: "graph-ids" }, m.duties.length + m.units.length < 3000
      ? [...m.units, ...m.duties, ...m.promises].map((o) => el("option", { value: o.id })) : []),
    select("graph-unit", [["", t("allUnits")], ...m.units.map((u) => [u.id, `${text(u.name)} (${u.id})`])], filters.unit,
      (v) => setFilter("unit", v)),
    select("graph-promise", [["", t("allPromises")], ...m.promises.map((p) => [p.id, p.id])], filters.promise,
      (v) => setFilter("promise", v)),
    select("graph-role", [["", t("allRoles")], ...ROLES.map((r) => [r, t(r)])], filters.role, (v) => setFilter("role", v)),
    el("button", { onclick: () => cy?.fit(undefined, 20) }, t("fit")),
    info);
}

export function mountGraph(section) {
  toolbar = el("div", { class: "toolbar" });
  info = el("span", { class: "info", id: "graph-info" });
  container = el("div", { id: "cy" });
  clear(section).append(toolbar, container);
  renderToolbar();
}

/** Redraw in the current language, keeping the filters. */
export function refreshGraph() {
  renderToolbar();
  if (cy) cy.nodes().forEach((n) => n.data("label", label(n.id(), n.classes()[0])));
}

/** Highlight an owner's paths (lists of ids from the promise down) and fit the view to them. */
export function highlight(paths, unit) {
  if (!cy) return;
  cy.remove(".pathlink");
  cy.elements().unselect().removeClass("hit faded near");
  const hit = cy.collection();
  for (const path of paths) {
    path.forEach((id, i) => {
      hit.merge(cy.getElementById(id));
      if (i === 0 || !cy.getElementById(id).length || !cy.getElementById(path[i - 1]).length) return;
      // A step of the path is drawn as it is traced: from the duty to what it serves.
      const step = cy.edges(`[source = "${id}"][target = "${path[i - 1]}"]`);
      hit.merge(step.length ? step : cy.add({ group: "edges", data: { source: id, target: path[i - 1] }, classes: "pathlink" }));
    });
  }
  hit.merge(cy.getElementById(unit));
  cy.elements().difference(hit).difference(hit.ancestors()).addClass("faded");
  hit.addClass("hit");
  cy.fit(hit, 60);
  document.body.dataset.highlighted = String(hit.nodes().length);
}
