// Bundle the explorer into the Python package's data folder (no CDN: everything ships).
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";

const out = "../src/servresp/service/explorer/assets";
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { explorer: "src/main.js" },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["chrome100", "firefox100", "safari15"],
  outdir: out,
  legalComments: "eof",
  logLevel: "info",
});
await build({ entryPoints: { explorer: "src/style.css" }, bundle: true, minify: true, outdir: out, logLevel: "info" });
copyFileSync("src/index.html", `${out}/index.html`);
