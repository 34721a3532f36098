import { describe, expect, it } from "vitest";
import { expandGrid, fillTemplates, parseExperimentPlan } from "../src/pipeline/experiment-file.js";
import { defaultsFromParametersCell, mergeParams, notebookParams, parseParamAssignments } from "../src/pipeline/params.js";

describe("notebook parameters", () => {
  const defaults = { rawDir: "data/raw", sampleOrders: 100000, fast: false };

  it("reads the defaults from the parameters cell's JSON literal", () => {
    const source = '// parameters\nconst params = nb.notebookParams({ "rawDir": "data/raw", "sampleOrders": 100000, "note": "a {b}" });\n';
    expect(defaultsFromParametersCell(source, "01")).toEqual({ rawDir: "data/raw", sampleOrders: 100000, note: "a {b}" });
    expect(() => defaultsFromParametersCell("const x = 1;", "01-x")).toThrow(/01-x: the parameters cell must call notebookParams/);
    expect(() => defaultsFromParametersCell("notebookParams({ rawDir: 'x' })", "01")).toThrow(/JSON object literal/);
  });

  it("coerces overrides to the defaults' types and rejects unknown keys", () => {
    expect(mergeParams(defaults, { sampleOrders: "2000", fast: "true" })).toEqual({ rawDir: "data/raw", sampleOrders: 2000, fast: true });
    expect(() => mergeParams(defaults, { sampleOrders: "many" })).toThrow(/'sampleOrders' must be a number/);
    expect(() => mergeParams(defaults, { seeed: "x" })).toThrow(/unknown parameter 'seeed'/);
  });

  it("takes the runner's overrides from RETAIL_INTEL_PARAMS, and defaults without it", () => {
    expect(notebookParams(defaults, {})).toEqual(defaults);
    expect(notebookParams(defaults, { RETAIL_INTEL_PARAMS: '{"rawDir":"/tmp/x"}' }).rawDir).toBe("/tmp/x");
    expect(() => notebookParams(defaults, { RETAIL_INTEL_PARAMS: "[1]" })).toThrow(/not a JSON object/);
  });

  it("parses --params key=value, keeping '=' inside values", () => {
    expect(parseParamAssignments(["a=1", "b=x=y"])).toEqual({ a: "1", b: "x=y" });
    expect(() => parseParamAssignments(["novalue"])).toThrow(/key=value/);
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
