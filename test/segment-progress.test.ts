import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { runSegmentation, type RfmRow } from "../src/segment/index.js";

const rng = seedrandom("segment-progress");
const rows: RfmRow[] = Array.from({ length: 300 }, (_, i) => ({
  customerUniqueId: `c${i}`,
  recencyDays: Math.floor(rng() * 600),
  frequency: 1 + Math.floor(-Math.log(1 - rng()) * 0.5),
  monetary: Math.round(Math.exp(4 + rng() * 2)),
}));

describe("runSegmentation onProgress", () => {
  it("reports every k of the silhouette sweep, then every bootstrap resample, with their values", () => {
    const messages: string[] = [];
    const result = runSegmentation(rows, { clustering: { seed: "p", kFrom: 2, kTo: 4, silhouetteSample: 200, bootstrapResamples: 3 }, onProgress: (m) => messages.push(m) });
    expect(messages).toEqual([
      ...result.silhouetteCurve.map((p) => `silhouette sweep k ${p.k} of 2..4: ${p.silhouette.toFixed(3)}, bootstrap ARI ${p.stability.toFixed(3)}`),
      ...result.bootstrap.values.map((ari, i) => `bootstrap (k = ${result.k}) resample ${i + 1}/3: ARI ${ari.toFixed(3)}`),
    ]);
    expect(result.silhouetteCurve.map((p) => p.k)).toEqual([2, 3, 4]);
  });
});
