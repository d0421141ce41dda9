// The standards view: each standard's readings over periods against its target (servresp.readings/1).
import { t, text } from "./i18n.js";
import { openPanel } from "./panel.js";
import { objectOf, state } from "./state.js";
import { clear, el } from "./util.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 300;
const H = 120;
const PAD = { left: 44, right: 10, top: 10, bottom: 24 };
let section = null;

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

/** A small line chart: the readings as points (red where the API says breached), the target dashed. */
function chart(standard) {
  const points = standard.readings;
  const values = [...points.map((p) => p.value), standard.target];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const span = hi - lo || Math.abs(hi) || 1;
  lo -= span * 0.2;
  hi += span * 0.2;
  const x = (i) => PAD.left + (points.length === 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (points.length - 1));
  const y = (v) => PAD.top + ((hi - v) * (H - PAD.top - PAD.bottom)) / (hi - lo);
  const fmt = (v) => (Math.abs(v) < 10 ? Number(v.toPrecision(3)) : Math.round(v));
  return svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "readings-chart", role: "img" },
    svg("line", { x1: PAD.left, x2: W - PAD.right, y1: y(standard.target), y2: y(standard.target), class: "target" }),
    svg("text", { x: PAD.left - 4, y: y(standard.target) + 3, class: "axis", "text-anchor": "end" }, fmt(standard.target)),
    ...(points.length <= 12 ? points.map((p, i) => svg("text", { x: x(i), y: y(p.value) - 7, class: "value", "text-anchor": "middle" },
      fmt(p.value))) : []),
    svg("polyline", { points: points.map((p, i) => `${x(i)},${y(p.value)}`).join(" "), class: "series" }),
    ...points.map((p, i) => svg("circle", { cx: x(i), cy: y(p.value), r: 4, class: p.breached ? "breached" : "kept" },
      svg("title", {}, `${p.period}: ${p.value}${p.n != null ? ` (n=${p.n})` : ""}${p.breached ? ` — ${t("breachedPoint")}` : ""}`))),
    ...points.map((p, i) => (points.length <= 8 || i % Math.ceil(points.length / 8) === 0
      ? svg("text", { x: x(i), y: H - 6, class: "axis", "text-anchor": "middle" }, p.period) : null)).filter(Boolean));
}

function card(standard) {
  const object = objectOf(standard.id);
  return el("article", { class: `standard status-${standard.status}`, dataset: { standard: standard.id } },
    el("header", {}, el("a", { href: "#", onclick: (e) => { e.preventDefault(); openPanel(standard.id); } }, standard.id),
      el("span", { class: `badge status-${standard.status}` }, t(standard.status) || standard.status)),
    el("p", { class: "text" }, text(object?.text)),
    el("p", {}, el("code", {}, `${standard.metric} ${standard.comparator} ${standard.target}`), ` · ${standard.promise}`),
    standard.readings.length ? chart(standard) : el("p", { class: "muted" }, t("noReadings")));
}

function draw() {
  if (!section) return;
  clear(section);
  if (!state.readings) { section.append(el("p", { class: "notice" }, t("traceFirst"))); return; }
  const list = state.readings.standards;
  section.append(list.length ? el("div", { class: "standards-grid" }, list.map(card)) : el("p", {}, t("noStandards")));
}

export function mountStandards(node) { section = node; }
export function showStandards() { draw(); }
