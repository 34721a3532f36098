import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { experimentCommand } from "../src/cli/commands/experiment.js";
import { expandGrid, fillTemplates, parseExperimentPlan } from "../src/pipeline/experiment-file.js";
import { listNotebooks } from "../src/pipeline/notebooks.js";
import { defaultsFromParametersCell, notebookParams, parseParam, parseParamAssignments, RENAMED_PARAMS, typedOverrides, unknownParamError } from "../src/pipeline/params.js";
import { runNotebooks } from "../src/pipeline/run-notebooks.js";
import { runMain } from "./support/cli-process.js";

describe("notebook parameters", () => {
  const defaults = { rawDir: "data/raw", sampleOrders: 100000, fast: false };

  it("reads the defaults from the parameters cell's JSON literal", () => {
    const source = '// parameters\nconst params = nb.notebookParams({ "rawDir": "data/raw", "sampleOrders": 100000, "note": "a {b}" });\n';
    expect(defaultsFromParametersCell(source, "01")).toEqual({ rawDir: "data/raw", sampleOrders: 100000, note: "a {b}" });
    expect(() => defaultsFromParametersCell("const x = 1;", "01-x")).toThrow(/01-x: the parameters cell must call notebookParams/);
    expect(() => defaultsFromParametersCell("notebookParams({ rawDir: 'x' })", "01")).toThrow(/JSON object literal/);
  });

  it("parses text overrides once, to the defaults' types, leaving out keys the notebook does not take", () => {
    expect(typedOverrides(defaults, { sampleOrders: "2000", fast: "true", other: "x" })).toEqual({ sampleOrders: 2000, fast: true });
    expect(parseParam("n", " 7 ", 1)).toBe(7);
    expect(() => typedOverrides(defaults, { sampleOrders: "many" })).toThrow(/'sampleOrders' must be a number, got 'many'/);
    expect(() => typedOverrides(defaults, { fast: "yes" })).toThrow(/'fast' must be true or false/);
  });

  it("merges the runner's typed overrides from RETAIL_INTEL_PARAMS onto the cell's defaults, without parsing again", () => {
    expect(notebookParams(defaults, {})).toEqual(defaults);
    expect(notebookParams(defaults, { RETAIL_INTEL_PARAMS: '{"rawDir":"/tmp/x","sampleOrders":2000}' })).toEqual({ ...defaults, rawDir: "/tmp/x", sampleOrders: 2000 });
    expect(() => notebookParams(defaults, { RETAIL_INTEL_PARAMS: '{"sampleOrders":"2000"}' })).toThrow(/'sampleOrders' must be a number, got "2000"/);
    expect(() => notebookParams(defaults, { RETAIL_INTEL_PARAMS: '{"seeed":"x"}' })).toThrow(/unknown parameter 'seeed'; this notebook takes 'fast', 'rawDir', 'sampleOrders'/);
    expect(() => notebookParams(defaults, { RETAIL_INTEL_PARAMS: "[1]" })).toThrow(/not a JSON object/);
  });

  it("refuses an old parameter name, naming the one that replaced it in each notebook", () => {
    const declared = new Map([
      ["01-transform-retail-data", ["rawDir", "sampleOrders", "sampleSeed"]],
      ["03-prophet-forecast", ["processedDir", "intervalSeed"]],
      ["05-two-tower-recommender", ["trainSeeds"]],
    ]);
    expect(unknownParamError("seed", declared).message).toBe(
      "parameter 'seed' was renamed to say what it seeds, sizes or holds: use 'sampleSeed' (01-transform-retail-data) or 'intervalSeed' (03-prophet-forecast)",
    );
    expect(unknownParamError("seeds", declared).message).toMatch(/use 'trainSeeds' \(05-two-tower-recommender\)/);
    expect(() => notebookParams({ kmeansSeed: "rfm" }, { RETAIL_INTEL_PARAMS: '{"seed":"x"}' })).toThrow(/'seed' was renamed.*use 'kmeansSeed'/);
  });

  it("parses --params key=value, keeping '=' inside values", () => {
    expect(parseParamAssignments(["a=1", "b=x=y"])).toEqual({ a: "1", b: "x=y" });
    expect(() => parseParamAssignments(["novalue"])).toThrow(/key=value/);
  });
});

describe("the shipped notebooks' parameters", () => {
  const notebooks = listNotebooks("notebooks");
  it("name what they seed: no notebook declares an old name", () => {
    for (const nb of notebooks) expect(Object.keys(nb.defaults).filter((k) => k in RENAMED_PARAMS), nb.name).toEqual([]);
    const declared = notebooks.flatMap((nb) => Object.keys(nb.defaults));
    for (const replacements of Object.values(RENAMED_PARAMS)) for (const name of replacements) expect(declared).toContain(name);
  });

  it("the runner refuses, before running anything, an old name, a misspelt one, or one only a notebook left out by --only takes", async () => {
    const run = (only: string[], overrides: Record<string, string>) => runNotebooks({ root: ".", only, overrides, log: () => {} });
    await expect(run([], { seed: "x" })).rejects.toThrow(/'seed' was renamed.*'sampleSeed' \(01-transform-retail-data\) or 'intervalSeed' \(03-prophet-forecast\) or 'kmeansSeed' \(04-rfm-segmentation\)/);
    await expect(run(["05"], { seeds: "2" })).rejects.toThrow(/use 'trainSeeds'/);
    await expect(run(["03"], { sampleOrders: "20000" })).rejects.toThrow(/'sampleOrders' is not taken by 03-prophet-forecast, only by 01-transform-retail-data:/);
    await expect(run(["01"], { sampleOrders: "lots" })).rejects.toThrow(/'sampleOrders' must be a number/);
    await expect(run([], { smapleOrders: "1" })).rejects.toThrow(/unknown parameter 'smapleOrders'/);
  });

  it("the runner refuses, before running anything, a sample parameter for a folder of Olist files that were not generated", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retail-intel-olist-"));
    try {
      writeFileSync(join(dir, "olist_orders_dataset.csv"), "order_id\n");
      const run = (overrides: Record<string, string>) => runNotebooks({ root: ".", only: ["01"], overrides: { rawDir: dir, ...overrides }, log: () => {} });
      await expect(run({ sampleOrders: "2000" })).rejects.toThrow(/parameter 'sampleOrders' cannot take effect: .* holds Olist files that were not generated/);
      await expect(run({ sampleSeed: "x", sampleOrders: "2000" })).rejects.toThrow(/parameter 'sampleSeed' and 'sampleOrders' cannot take effect/);
      const refused = await runMain(["pipeline", "--only", "01", "--params", `rawDir=${dir}`, "--params", "sampleOrders=2000"]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^error: parameter 'sampleOrders' cannot take effect/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("on the command line a refused parameter is a usage error (exit 2); in an experiment file, an error naming the file and set before any set runs", async () => {
    const refused = await runMain(["pipeline", "--params", "seed=1"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: parameter 'seed' was renamed/);
    const unknownNotebook = await runMain(["pipeline", "--only", "-1"]);
    expect(unknownNotebook.code).toBe(2);
    expect(unknownNotebook.stderr).toMatch(/^error: no notebook matches '-1'; there are 01-transform-retail-data, /);
    const dir = mkdtempSync(join(tmpdir(), "retail-intel-params-"));
    try {
      const file = join(dir, "bad.json");
      writeFileSync(file, JSON.stringify({ notebook: "05", parameters: [{ trainSeeds: 1 }, { seeds: 2 }] }));
      await expect(experimentCommand.run({}, [file])).rejects.toThrow(/bad\.json, parameter set 2: parameter 'seeds' was renamed .*'trainSeeds'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("experiment files", () => {
  it("expands a grid, first key slowest", () => {
    expect(expandGrid({ a: [1, 2], b: ["x", "y"] })).toEqual([
      { a: 1, b: "x" },
      { a: 1, b: "y" },
      { a: 2, b: "x" },
      { a: 2, b: "y" },
    ]);
  });

  it("fills {key} templates from the same set and rejects unknown references", () => {
    expect(fillTemplates({ seed: "s1", orders: 2000, rawDir: "data/exp/{seed}-{orders}" }).rawDir).toBe("data/exp/s1-2000");
    expect(() => fillTemplates({ rawDir: "data/{nope}" })).toThrow(/names no other parameter/);
  });

  it("builds one set per list entry or grid combination, with base values and a default experiment name", () => {
    const several = parseExperimentPlan({ notebook: ["01", "02"], parameters: [{ sampleSeed: "a" }] }, "x.json");
    expect(several.notebooks).toEqual(["01", "02"]);
    expect(() => parseExperimentPlan({ notebook: [], parameters: [{}] }, "x.json")).toThrow(/"notebook"/);
    const plan = parseExperimentPlan({ notebook: "02", base: { rawDir: "d/{seed}" }, grid: { seed: ["a", "b"], sampleOrders: [10, 20] } }, "experiments/size.json");
    expect(plan.experimentName).toBe("size");
    expect(plan.sets).toHaveLength(4);
    expect(plan.sets[3]).toEqual({ rawDir: "d/b", seed: "b", sampleOrders: "20" });
    const listed = parseExperimentPlan({ notebook: "02", experiment: "E", parameters: [{ seed: "a" }] }, "x.json");
    expect(listed.experimentName).toBe("E");
    expect(listed.sets).toEqual([{ seed: "a" }]);
  });

  it("says what is wrong with a malformed file", () => {
    expect(() => parseExperimentPlan({ grid: { a: [1] } }, "x.json")).toThrow(/"notebook"/);
    expect(() => parseExperimentPlan({ notebook: "02" }, "x.json")).toThrow(/"parameters".*or "grid"/);
    expect(() => parseExperimentPlan({ notebook: "02", grid: { a: [] } }, "x.json")).toThrow(/grid.a must be a non-empty list/);
    expect(() => parseExperimentPlan({ notebook: "02", parameters: [{ a: [1] }] }, "x.json")).toThrow(/parameters\[0\].a/);
  });
});
