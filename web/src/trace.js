// The trace view: facts in (a bundled example, an upload or pasted JSONL), the servresp.trace/1 report out.
import cytoscape from "cytoscape";
import { examples, isStatic, readFacts, traceFacts } from "./data.js";
import { t, text } from "./i18n.js";
import { openPanel } from "./panel.js";
import { objectOf, state } from "./state.js";
import { clear, el, percent } from "./util.js";

let section = null;
let output = null;
let onShowPath = () => {};
const open = new Set();   // "promise/unit" of the owners whose details are unfolded
let picked = "";

/** Call `handler(promise, paths, unit)` when the user asks to see an owner's paths in the organisation graph. */
export function onTracePath(handler) { onShowPath = handler; }

function ref(id) {
  return el("a", { href: "#", class: "ref", onclick: (e) => { e.preventDefault(); openPanel(id); } }, id);
}

function factText(f) {
  const where = `${f.source}:${f.line}`;
  const what = f.metric ? `${f.metric} = ${f.value}${f.n != null ? ` (n=${f.n})` : ""}` : `${f.event} @ ${f.at}`;
  return `${where} ${what}${f.unit ? ` [${f.unit}]` : ""}${f.period ? ` ${f.period}` : ""}`;
}

function pathGraph(owner) {
  const box = el("div", { class: "pathgraph" });
  const nodes = new Map();
  const edges = new Map();
  for (const path of owner.paths) {
    path.forEach((id, i) => {
      nodes.set(id, i === 0 ? "promise" : "duty");
      if (i > 0) edges.set(`${id}>${path[i - 1]}`, { source: id, target: path[i - 1] });
    });
  }
  nodes.set(owner.unit, "unit");
  for (const duty of owner.duties) if (nodes.has(duty)) edges.set(`${owner.unit}>${duty}`, { source: owner.unit, target: duty });
  const held = new Set(owner.duties);
  requestAnimationFrame(() => {
    const cy = cytoscape({
      container: box, userZoomingEnabled: true, boxSelectionEnabled: false,
      elements: [
        ...[...nodes].map(([id, kind]) => ({ data: { id, label: kind === "unit" ? text(objectOf(id)?.name) || id : id.replace(".", ".\n") },
          classes: `${kind}${held.has(id) ? " held" : ""}` })),
        ...[...edges.values()].map((d) => ({ data: d })),
      ],
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 10, "text-valign": "center", "text-halign": "right", "text-margin-x": 4, width: 14, height: 14,
          "background-color": "#8fb4e3", "text-wrap": "wrap", "text-max-width": 130 } },
        { selector: ".promise", style: { shape: "diamond", width: 24, height: 24, "background-color": "#e08a2c" } },
        { selector: ".unit", style: { shape: "round-rectangle", width: 30, height: 18, "background-color": "#3e6fb0" } },
        { selector: ".held", style: { "background-color": "#d62d20" } },
        { selector: "edge", style: { width: 2, "line-color": "#d62d20", "target-arrow-color": "#d62d20",
          "target-arrow-shape": "triangle", "curve-style": "bezier" } },
      ],
      layout: { name: "breadthfirst", directed: true, roots: [owner.unit], spacingFactor: 1.1, padding: 16,
        transform: (_, p) => ({ x: p.y * 1.6, y: p.x * 0.6 }) },  // left to right: siblings stack, labels do not collide
    });
    cy.on("tap", "node", (e) => openPanel(e.target.id()));
  });
  return box;
}

function ownerDetail(trace, owner) {
  return el("div", { class: "owner-detail" },
    el("div", { class: "cols" },
      el("div", {},
        el("h4", {}, t("roles")), el("p", {}, owner.roles.map((r) => el("span", { class: `role role-${r}` }, t(r)))),
        el("h4", {}, t("duties")), el("ul", {}, owner.duties.map((d) => el("li", {}, ref(d)))),
        el("h4", {}, t("evidence")),
        el("table", { class: "evidence" },
          el("tr", {}, el("th", {}, t("duty")), el("th", {}, t("kind")), el("th", {}, "id"), el("th", {}, t("mass")), el("th", {}, t("facts"))),
          owner.evidence.map((ev) => el("tr", {}, el("td", {}, ref(ev.duty)), el("td", {}, t(ev.kind)), el("td", {}, ev.id),
            el("td", { class: "num" }, ev.mass), el("td", {}, ev.facts.map((f) => el("div", {}, factText(f)))))))),
      el("div", {},
        el("h4", {}, t("paths"),
          el("button", { class: "small paths-to-graph", onclick: () => onShowPath(trace.promise, owner.paths, owner.unit) }, `→ ${t("graph")}`)),
        pathGraph(owner),
        el("ol", { class: "paths" }, owner.paths.map((p) => el("li", {}, p.join(" ← ")))))),
    el("h4", {}, t("why")), el("ul", { class: "why" }, owner.why.map((w) => el("li", {}, w))));
}

function ownersChart(trace) {
  if (trace.owners.length === 0) return el("p", { class: "muted" }, t("noOwners"));
  return el("div", { class: "owners", dataset: { promise: trace.promise } }, trace.owners.map((owner) => {
    const key = `${trace.promise}/${owner.unit}`;
    const row = el("div", { class: "owner", dataset: { unit: owner.unit } },
      el("button", { class: "owner-row", onclick: () => { open.has(key) ? open.delete(key) : open.add(key); render(); } },
        el("span", { class: "owner-name" }, text(objectOf(owner.unit)?.name) || owner.unit, el("small", {}, owner.unit)),
        el("span", { class: "bar" }, el("span", { class: "fill", style: `width:${owner.share * 100}%` })),
        el("span", { class: "owner-share" }, percent(owner.share)),
        el("span", { class: "owner-roles" }, owner.roles.map((r) => t(r)).join(", "))));
    if (open.has(key)) row.append(ownerDetail(trace, owner));
    return row;
  }));
}

function breachLine(b) {
  return el("li", {}, ref(b.standard), `: ${b.metric} = ${b.actual} (${t("target")} ${b.comparator} ${b.target}, ${t("gap")} ${b.gap})`);
}

function traceCard(trace) {
  const promise = objectOf(trace.promise);
  return el("article", { class: `trace status-${trace.status}`, dataset: { promise: trace.promise } },
    el("header", {}, el("h3", {}, trace.promise), el("span", { class: `badge status-${trace.status}` }, t(trace.status))),
    el("p", { class: "text" }, text(promise?.text)),
    trace.breaches.length ? el("div", {}, el("h4", {}, t("breaches")), el("ul", {}, trace.breaches.map(breachLine))) : null,
    trace.aspirations.length ? el("div", {}, el("h4", {}, t("aspirations")), el("ul", {}, trace.aspirations.map(breachLine))) : null,
    trace.fired_rules.length ? el("div", {}, el("h4", {}, t("firedRules")),
      el("ul", {}, trace.fired_rules.map((r) => el("li", {}, ref(r.rule), ` (${r.facts.length})`)))) : null,
    trace.owners.length || trace.status !== "ok" ? el("div", {}, el("h4", {}, t("owners")), ownersChart(trace)) : null,
    trace.candidates.length ? el("div", { class: "candidates" }, el("h4", {}, t("candidates")),
      el("ul", {}, trace.candidates.map((c) => el("li", {}, el("b", {}, c.unit), " — ", c.why.join(" "))))) : null);
}

function render() {
  if (!output) return;
  clear(output);
  const report = state.report;
  if (!report) return;
  const f = report.facts;
  output.append(...[
    el("p", { class: "summary" }, `${report.period || ""} · `, t("readFacts", { n: f.read, r: f.rejected.length, u: f.unknown.length })),
    f.rejected.length ? el("ul", { class: "problems" }, f.rejected.map((p) => el("li", {}, `${p.file}:${p.line}: ${p.path}: ${p.message}`))) : null,
    ...report.traces.map(traceCard)].filter(Boolean));
}

function showError(message) {
  clear(output).append(el("div", { class: "error", id: "trace-error" }, t("requestFailed"), el("pre", {}, message)));
}

async function runUploaded() {
  const file = document.getElementById("trace-file").files[0];
  const pasted = document.getElementById("trace-paste").value;
  const body = file ? await file.text() : pasted;
  const period = document.getElementById("trace-period").value.trim();
  if (!body.trim()) return;
  clear(output).append(el("p", { class: "muted" }, t("tracing")));
  try {
    const [report, readings] = await Promise.all([traceFacts(body, period), readFacts(body)]);
    state.report = report;
    state.readings = readings;
    open.clear();
    render();
    document.body.dataset.trace = "ready";
  } catch (error) {
    showError(error.message);
  }
}

function pick(name) {
  picked = name;
  const example = examples().find((x) => x.name === name);
  state.report = example?.trace || null;
  state.readings = example?.readings || null;
  open.clear();
  render();
  document.body.dataset.trace = "ready";
}

function renderForm() {
  const list = examples();
  const staticNote = isStatic ? el("p", { class: "notice", id: "static-note" }, t("staticNoUpload")) : null;
  return el("div", { class: "trace-form" },
    list.length ? el("label", {}, t("pick"), " ",
      el("select", { id: "trace-example", onchange: (e) => pick(e.target.value) },
        el("option", { value: "" }, t("pickNone")),
        list.map((x) => el("option", { value: x.name, selected: x.name === picked }, x.name)))) : null,
    staticNote,
    el("fieldset", { disabled: isStatic },
      el("label", {}, t("upload"), " ", el("input", { type: "file", id: "trace-file", accept: ".jsonl,.json,.ndjson" })),
      el("textarea", { id: "trace-paste", rows: 3, placeholder: t("paste") }),
      el("label", {}, t("period"), " ", el("input", { id: "trace-period", size: 10 })),
      el("button", { id: "trace-run", onclick: runUploaded }, t("run"))));
}

export function mountTrace(node) {
  section = node;
  output = el("div", { id: "trace-output" });
  clear(section).append(renderForm(), output);
}

export function refreshTrace() {
  if (!section) return;
  const form = section.querySelector(".trace-form");
  const pasted = document.getElementById("trace-paste")?.value || "";
  const period = document.getElementById("trace-period")?.value || "";
  form.replaceWith(renderForm());
  document.getElementById("trace-paste").value = pasted;
  document.getElementById("trace-period").value = period;
  render();
}
