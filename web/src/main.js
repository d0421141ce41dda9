// The servresp explorer: four views over the JSON the service serves (or a static site embeds).
import { isStatic, loadModel } from "./data.js";
import { drawGraph, focus, highlight, mountGraph, refreshGraph } from "./graph.js";
import { setLang, t } from "./i18n.js";
import { closePanel, onPanelSelect, refreshPanel } from "./panel.js";
import { mountRaci, refreshRaci, showRaci } from "./raci.js";
import { mountStandards, showStandards } from "./standards.js";
import { indexModel, state } from "./state.js";
import { mountTrace, onTracePath, refreshTrace } from "./trace.js";

const VIEWS = ["graph", "raci", "trace", "standards"];
let current = "graph";

function show(view) {
  if (view !== current) closePanel();
  current = VIEWS.includes(view) ? view : "graph";
  for (const v of VIEWS) {
    document.getElementById(`view-${v}`).hidden = v !== current;
    document.getElementById(`tab-${v}`).classList.toggle("active", v === current);
  }
  if (current === "raci") showRaci();
  if (current === "standards") showStandards();
  const drawn = current === "graph" ? drawGraph() : Promise.resolve();
  if (location.hash !== `#${current}`) history.replaceState(null, "", `#${current}`);
  return drawn;
}

function labels() {
  for (const v of VIEWS) document.getElementById(`tab-${v}`).textContent = t(v);
  document.getElementById("lang-label").textContent = t("language");
  document.getElementById("title").textContent = `servresp · ${state.model.name}`;
}

function switchLang(lang) {
  setLang(lang);
  labels();
  refreshGraph();
  refreshRaci();
  refreshTrace();
  refreshPanel();
  if (current === "standards") showStandards();
}

async function boot() {
  const params = new URLSearchParams(location.search);
  setLang(params.get("lang") || "en");
  document.getElementById("lang").value = params.get("lang") === "zh" ? "zh" : "en";
  let model;
  try {
    model = await loadModel();
  } catch (error) {
    const notice = document.getElementById("notice");
    notice.hidden = false;
    notice.textContent = `${t("requestFailed")} ${error.message}`;
    return;
  }
  document.body.dataset.modelMs = String(Math.round(performance.now()));
  indexModel(model);
  document.body.classList.toggle("static", isStatic);
  labels();
  mountGraph(document.getElementById("view-graph"));
  mountRaci(document.getElementById("view-raci"));
  mountTrace(document.getElementById("view-trace"));
  mountStandards(document.getElementById("view-standards"));
  onPanelSelect((id) => { if (current === "graph") focus(id); });
  onTracePath(async (promise, paths, unit) => {
    await show("graph");
    await focus(promise, { select: false });
    highlight(paths, unit);
  });
  for (const v of VIEWS) document.getElementById(`tab-${v}`).addEventListener("click", () => show(v));
  document.getElementById("lang").addEventListener("change", (e) => switchLang(e.target.value));
  show(location.hash.slice(1) || "graph");
  document.body.dataset.ready = "1";
}

boot();
