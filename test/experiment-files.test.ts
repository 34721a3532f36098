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
      const [notebook] = listNotebooks("notebooks", [plan.notebook]);
      expect(notebook, `notebook ${plan.notebook}`).toBeDefined();
      expect(plan.sets.length).toBeGreaterThan(0);
      for (const set of plan.sets) {
        expect(Object.keys(set).filter((key) => !(key in notebook!.defaults)), "parameters the notebook does not declare").toEqual([]);
        expect(() => typedOverrides(notebook!.defaults, set)).not.toThrow();
      }
    });
  }
});
