import { describe, expect, it } from "vitest";
import { naiveModel } from "../src/forecast/baselines.js";
import type { ForecastModel } from "../src/forecast/cross-validation.js";
import { evaluateForecasters, type ForecastProgress } from "../src/forecast/evaluate.js";

const DAY = 86_400_000;
const START = Date.UTC(2021, 0, 1);
const history = { ds: Array.from({ length: 120 }, (_, i) => new Date(START + i * DAY)), y: Array.from({ length: 120 }, (_, i) => 100 + (i % 7)) };

/** A naive model that counts its fits. */
function countingModel(): ForecastModel & { fits: number } {
  const inner = naiveModel();
  const model = {
    name: "counting",
    fits: 0,
    async fit(h: Parameters<ForecastModel["fit"]>[0]) {
      model.fits++;
      return inner.fit(h);
    },
  };
  return model;
}

describe("evaluateForecasters onProgress", () => {
  it("reports each fit before it runs: model, protocol, origin k of n and its cutoff", async () => {
    const model = countingModel();
    const seen: (ForecastProgress & { fitsBefore: number })[] = [];
    const evaluation = await evaluateForecasters(history, [model, naiveModel()], {
      trainDays: 60,
      horizonDays: 14,
      backtestCutoffs: 3,
      onProgress: (info) => seen.push({ ...info, fitsBefore: model.fits }),
    });
    const cutoffs = [evaluation.seedCutoff, ...evaluation.backtestCutoffs];
    expect(seen.map((s) => [s.model, s.protocol, s.origin, s.origins, s.cutoff.getTime()])).toEqual([
      ["counting", "seed-split", 1, 1, cutoffs[0]!.getTime()],
      ["counting", "rolling-origin", 1, 3, cutoffs[1]!.getTime()],
      ["counting", "rolling-origin", 2, 3, cutoffs[2]!.getTime()],
      ["counting", "rolling-origin", 3, 3, cutoffs[3]!.getTime()],
      ["naive", "seed-split", 1, 1, cutoffs[0]!.getTime()],
      ["naive", "rolling-origin", 1, 3, cutoffs[1]!.getTime()],
      ["naive", "rolling-origin", 2, 3, cutoffs[2]!.getTime()],
      ["naive", "rolling-origin", 3, 3, cutoffs[3]!.getTime()],
    ]);
    expect(seen.slice(0, 4).map((s) => s.fitsBefore)).toEqual([0, 1, 2, 3]);
  });
});
