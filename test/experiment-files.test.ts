import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readExperimentPlan } from "../src/pipeline/experiment-file.js";
import { listNotebooks } from "../src/pipeline/notebooks.js";
import { typedOverrides } from "../src/pipeline/params.js";

// The experiment files shipped in experiments/ must run: their notebook exists and every parameter set
// names only parameters that notebook declares, with values of the declared types.
const files = readdirSync("experiments").filter((f) => f.endsWith(".json"));

describe("shipped experiment files", () => {
  it("there is at least one per capability notebook that has one", () => {
    expect(files).toEqual(expect.arrayContaining(["feature-sample-size.json", "forecast-variants.json", "recommend-variants.json"]));
  });
  for (const file of files) {
    it(`${file} targets an existing notebook with valid parameter sets`, () => {
      const plan = readExperimentPlan(join("experiments", file));
      const notebooks = listNotebooks("notebooks", plan.notebooks);
      expect(notebooks.length, `notebooks ${plan.notebooks.join(", ")}`).toBe(plan.notebooks.length);
      expect(plan.sets.length).toBeGreaterThan(0);
      for (const set of plan.sets) {
        const declared = new Set(notebooks.flatMap((nb) => Object.keys(nb.defaults)));
        expect(Object.keys(set).filter((key) => !declared.has(key)), "parameters no notebook of the file declares").toEqual([]);
        for (const nb of notebooks) expect(() => typedOverrides(nb.defaults, set)).not.toThrow();
      }
    });
  }
});
