import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fitProphet } from "../src/forecast/prophet.js";
import { loadProphetRuntime, renewOptimizer } from "../src/forecast/prophet-runtime.js";

// Stan's optimiser input of one Prophet fit (a 184-day window of the 60K sample's log revenue) on
// which both L-BFGS and BFGS trap ("unreachable") in @bsull/augurs-prophet-wasmstan 0.2.0. After
// ~130 fits in one process, BFGS on the instance that had just trapped never returned.
const trap = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "prophet", "stan-trap-input.json"), "utf8")) as {
  init: { k: number; m: number; delta: number[]; beta: number[]; sigmaObs: number };
  data: string;
  opts: Record<string, unknown>;
};

describe("the Stan optimiser instance", () => {
  it("is replaced by a fresh one that fits exactly as the first did", async () => {
    const runtime = await loadProphetRuntime();
    const ds = Array.from({ length: 120 }, (_, i) => new Date(Date.UTC(2020, 0, 1 + i)));
    const y = ds.map((_, i) => 50 + i / 10 + 5 * Math.sin((2 * Math.PI * i) / 7));
    const before = runtime.optimizer;
    const a = await fitProphet({ ds, y }, { seed: 1 });
    await renewOptimizer();
    expect(runtime.optimizer).not.toBe(before);
    const b = await fitProphet({ ds, y }, { seed: 1 });
    expect(b.params).toEqual(a.params);
  });

  it("the recorded input traps on a fresh instance with both algorithms, and fits after it still work", async () => {
    const runtime = await loadProphetRuntime();
    const init = { ...trap.init, delta: Float64Array.from(trap.init.delta), beta: Float64Array.from(trap.init.beta) };
    for (const algorithm of ["lbfgs", "bfgs"]) {
      await renewOptimizer();
      const optimize = (runtime.optimizer as unknown as { optimize: (i: unknown, d: string, o: unknown) => unknown }).optimize;
      expect(() => optimize(init, trap.data, { ...trap.opts, algorithm }), algorithm).toThrow();
    }
    await renewOptimizer();
    const ds = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2020, 0, 1 + i)));
    const fit = await fitProphet({ ds, y: ds.map((_, i) => 10 + (i % 7)) }, { seed: 1 });
    expect(fit.predict(ds.slice(0, 3)).yhat.every(Number.isFinite)).toBe(true);
  });
});
