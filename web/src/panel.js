// The side panel: one unit, duty, promise, standard or rule, from its JSON document.
import { loadNode } from "./data.js";
import { t, text } from "./i18n.js";
import { kindOf, objectOf, state } from "./state.js";
import { clear, el } from "./util.js";

const panel = () => document.getElementById("panel");
let shown = null;
let onSelect = () => {};

/** Call `handler(id)` when a link in the panel is followed (the graph centres on it). */
export function onPanelSelect(handler) { onSelect = handler; }

function link(id) {
  const object = objectOf(id);
  const label = object?.name ? `${text(object.name)} (${id})` : id;
  return el("a", { href: "#", class: `ref ref-${kindOf(id) || "other"}`, dataset: { id },
    onclick: (e) => { e.preventDefault(); openPanel(id); onSelect(id); } }, label);
}

function list(title, ids) {
  if (!ids || ids.length === 0) return null;
  return el("div", { class: "field" }, el("h3", {}, title), el("ul", {}, ids.map((id) => el("li", {}, link(id)))));
}

function source(ref) {
  if (!ref) return null;
  const src = state.model.sources.find((s) => s.id === ref.source);
  return el("div", { class: "field source" }, el("h3", {}, t("source")),
    el("p", {}, el("b", {}, ref.source), src ? ` — ${src.title}` : "", el("br"), `§ ${ref.section}`));
}

function raciTable(raci) {
  const rows = Object.entries(raci).sort(([a], [b]) => a.localeCompare(b));
  return el("div", { class: "field" }, el("h3", {}, "RACI"),
    el("table", { class: "raci-mini", id: "panel-raci" },
      rows.map(([unit, roles]) => el("tr", {}, el("td", {}, link(unit)),
        el("td", {}, roles.map((r) => el("span", { class: `role role-${r}` }, t(r))))))));
}

function body(doc) {
  const o = doc.object;
  switch (doc.type) {
    case "duty": return [
      el("p", { class: "text" }, text(o.text)),
      el("div", { class: "field" }, el("h3", {}, t("owner")), link(o.owner)),
      raciTable(doc.raci), source(o.source),
      list(t("customers"), doc.customers), list(t("suppliers"), doc.suppliers),
      list(t("standards"), doc.standards), list(t("rules"), doc.rules), list(t("promises"), doc.promises),
      list(t("upstream"), doc.upstream)];
    case "unit": return [
      el("p", { class: "text" }, `${o.kind}`),
      list(t("owns"), doc.owns),
      Object.keys(doc.roles).length ? el("div", { class: "field" }, el("h3", {}, t("rolesElsewhere")),
        el("ul", {}, Object.entries(doc.roles).map(([duty, roles]) =>
          el("li", {}, link(duty), " ", roles.map((r) => el("span", { class: `role role-${r}` }, t(r))))))) : null,
      list(t("teams"), doc.teams), list(t("members"), o.members)];
    case "promise": return [
      el("p", { class: "text" }, text(o.text)), source(o.source),
      list(t("standards"), doc.standards), list(t("duties"), doc.duties)];
    case "standard": return [
      el("p", { class: "text" }, text(o.text)),
      el("p", {}, el("code", {}, `${o.metric} ${o.comparator} ${o.target}`), ` (${t("window")}: ${o.window})`),
      list(t("promise"), [o.promise]), list(t("duties"), o.served_by), source(o.source)];
    case "rule": return [
      el("p", { class: "text" }, text(o.reason)),
      el("pre", {}, JSON.stringify(o.when, null, 1)),
      list(t("duties"), o.implicates), source(o.source)];
    default: return [];
  }
}

/** Show `id` in the panel (its node document for units, duties and promises). */
export async function openPanel(id) {
  const kind = kindOf(id);
  if (!kind) return;
  shown = id;
  const doc = ["unit", "duty", "promise"].includes(kind)
    ? await loadNode(kind, id)
    : { type: kind, id, object: objectOf(id) };
  if (shown !== id) return;
  const title = doc.object.name ? text(doc.object.name) : id;
  const node = clear(panel());
  node.hidden = false;
  node.dataset.id = id;
  node.append(...[
    el("button", { class: "close", title: t("close"), onclick: closePanel }, "×"),
    el("div", { class: "kind" }, t(kind)),
    el("h2", { id: "panel-title" }, title),
    doc.object.name ? el("div", { class: "id" }, id) : null,
    ...body(doc),
    doc.location ? el("div", { class: "location" }, `${t("location")}: ${doc.location}`) : null].filter(Boolean));
}

export function closePanel() { shown = null; panel().hidden = true; }

/** Redraw the open panel (after a language switch). */
export function refreshPanel() { if (shown) openPanel(shown); }
