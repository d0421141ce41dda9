// The RACI matrix: duties × units with sticky headers, filters, and CSV export of what is shown.
import { loadNode } from "./data.js";
import { t, text } from "./i18n.js";
import { openPanel } from "./panel.js";
import { state } from "./state.js";
import { clear, download, el, select } from "./util.js";

const ROLES = ["accountable", "responsible", "consulted", "informed"];
const LETTER = { accountable: "A", responsible: "R", consulted: "C", informed: "I" };
const MAX_CELLS = 60000;
const filters = { unit: "", promise: "", role: "" };
let section = null;

function holders(duty) {
  const out = new Map();
  for (const role of ROLES) {
    const value = duty.raci[role];
    for (const unit of Array.isArray(value) ? value : value ? [value] : []) {
      if (!out.has(unit)) out.set(unit, []);
      out.get(unit).push(role);
    }
  }
  return out;
}

/** The rows and columns the filters leave: [{duty, holders}], [unit ids]. */
async function matrix() {
  let duties = state.model.duties;
  if (filters.promise) {
    const reach = new Set((await loadNode("promise", filters.promise)).duties);
    duties = duties.filter((d) => reach.has(d.id));
  }
  let rows = duties.map((duty) => ({ duty, holders: holders(duty) }));
  const keeps = (roles) => !filters.role || roles.includes(filters.role);
  if (filters.unit) rows = rows.filter((r) => r.holders.has(filters.unit) && keeps(r.holders.get(filters.unit)));
  else if (filters.role) rows = rows.filter((r) => [...r.holders.values()].some(keeps));
  const used = new Set(rows.flatMap((r) => [...r.holders].filter(([, roles]) => keeps(roles)).map(([u]) => u)));
  const columns = state.model.units.map((u) => u.id).filter((u) => used.has(u) && (!filters.unit || u === filters.unit || !filters.role));
  return { rows, columns };
}

function cell(roles) {
  const shown = (roles || []).filter((r) => !filters.role || r === filters.role);
  return shown.map((r) => LETTER[r]).join("");
}

function csv(rows, columns) {
  const quote = (v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = [["duty", "owner", ...columns].map(quote).join(",")];
  for (const { duty, holders: h } of rows) {
    lines.push([duty.id, duty.owner, ...columns.map((u) => cell(h.get(u)))].map(quote).join(","));
  }
  return `${lines.join("\n")}\n`;
}

async function draw() {
  const { rows, columns } = await matrix();
  const units = new Map(state.model.units.map((u) => [u.id, u]));
  const toolbar = el("div", { class: "toolbar" },
    select("raci-unit", [["", t("allUnits")], ...state.model.units.map((u) => [u.id, `${text(u.name)} (${u.id})`])],
      filters.unit, (v) => { filters.unit = v; draw(); }),
    select("raci-promise", [["", t("allPromises")], ...state.model.promises.map((p) => [p.id, p.id])], filters.promise,
      (v) => { filters.promise = v; draw(); }),
    select("raci-role", [["", t("allRoles")], ...ROLES.map((r) => [r, t(r)])], filters.role,
      (v) => { filters.role = v; draw(); }),
    el("button", { id: "raci-csv", onclick: () => download("raci.csv", csv(rows, columns), "text/csv") }, t("exportCsv")),
    el("span", { class: "info" }, t("rows", { r: rows.length, c: columns.length }), " · ", t("xlsxNote")));
  const cells = rows.length * columns.length;
  const table = cells > MAX_CELLS ? el("p", { class: "notice" }, t("tooBig", { n: cells })) : el("div", { class: "matrix-wrap" },
    el("table", { class: "matrix", id: "raci-table" },
      el("thead", {}, el("tr", {}, el("th", { class: "corner" }, t("duty")),
        columns.map((u) => el("th", { class: "col", title: u }, el("span", {}, text(units.get(u).name) || u))))),
      el("tbody", {}, rows.map(({ duty, holders: h }) => el("tr", {},
        el("th", { class: "row", title: text(duty.text) },
          el("a", { href: "#", onclick: (e) => { e.preventDefault(); openPanel(duty.id); } }, duty.id)),
        columns.map((u) => { const c = cell(h.get(u)); return el("td", { class: c ? `has r-${c[0]}` : "" }, c); }))))));
  clear(section).append(toolbar, table);
}

export function mountRaci(node) { section = node; }
export function refreshRaci() { if (section && !section.hidden) draw(); }
export function showRaci() { draw(); }
