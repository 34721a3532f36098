/**
 * Loads this repo's TypeScript sources (ESM, `.js` import suffixes) into a tslab notebook.
 *
 * tslab compiles cells to CommonJS and runs them in a vm: a cell cannot `import` our ESM sources or
 * ESM-only packages, and its own `await import()` is rewritten to `require`. This CommonJS file is
 * required normally; on first use it registers tsx's ESM loader hooks in the kernel process
 * (`register()` from `tsx/esm/api`, with the repo's tsconfig.json) and then imports a source file with a
 * real `import()`, so the whole module graph (vega, vega-lite, nodejs-polars, ...) loads as under `tsx`.
 *
 *   // cell in notebooks/ (the kernel's cwd is the notebook's folder):
 *   const { load } = require("../src/report/notebook-env.cjs");
 *   const report = await load("src/report/index.ts");   // path relative to the repo root, whatever the cwd
 *   await report.showChart(report.ordersPerDayChart(rows), { saveDir: "../reports/charts" });
 *
 * From a notebook at the repo root the first line is `require("./src/report/notebook-env.cjs")`.
 * `load` takes a path relative to the repo root, an absolute path or a file: URL; the `.ts` extension is
 * optional and `.js` maps to `.ts` as in the sources. Loaded modules are cached by Node like any import.
 */
"use strict";

const { existsSync, statSync } = require("node:fs");
const path = require("node:path");
const { pathToFileURL, fileURLToPath } = require("node:url");

/** The repository root (this file lives in <root>/src/report/). */
const repoRoot = path.resolve(__dirname, "..", "..");

let registering;

/**
 * Registers tsx's ESM hooks once per process (later calls share the first registration). The ESM build
 * of `tsx/esm/api` is imported on purpose: in tsx 4.23 its CommonJS build registers the hooks by a path
 * relative to the wrong folder (ERR_MODULE_NOT_FOUND .../tsx/dist/esm/api/esm/index.mjs).
 */
function registerTsx() {
  registering ??= import("tsx/esm/api").then(({ register }) => {
    const tsconfig = path.join(repoRoot, "tsconfig.json");
    register(existsSync(tsconfig) ? { tsconfig } : {});
  });
  registering.catch(() => {
    registering = undefined;
  });
  return registering;
}

/** Absolute path of a source file given relative to the repo root, absolute, or as a file: URL. */
function resolveSource(specifier) {
  if (typeof specifier !== "string" || specifier === "") {
    throw new TypeError(`load(): expected a path like "src/report/index.ts", got ${JSON.stringify(specifier)}`);
  }
  const file = specifier.startsWith("file:") ? fileURLToPath(specifier) : path.resolve(repoRoot, specifier);
  const candidates = [file];
  if (file.endsWith(".js")) candidates.push(`${file.slice(0, -3)}.ts`);
  if (path.extname(file) === "" || statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
    candidates.push(`${file}.ts`, path.join(file, "index.ts"));
  }
  const found = candidates.find((c) => statSync(c, { throwIfNoEntry: false })?.isFile());
  if (found === undefined) {
    throw new Error(`load(): no such source file: ${candidates.join(" or ")} (paths are relative to the repo root ${repoRoot})`);
  }
  return found;
}

/** Imports a TypeScript/JavaScript ES module of this repo; resolves to its namespace object. */
async function load(specifier) {
  const file = resolveSource(specifier);
  await registerTsx();
  return import(pathToFileURL(file).href);
}

/** `import()` of any ES module or package (e.g. "vega"), resolved from this file's folder. */
function importEsm(specifier) {
  return import(specifier);
}

module.exports = { load, importEsm, repoRoot, resolveSource };
