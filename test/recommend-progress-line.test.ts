import { describe, expect, it } from "vitest";
import { epochProgressLine } from "../src/recommend/report.js";

describe("epochProgressLine", () => {
  it("names the protocol, seed, epoch of all, loss and throughput", () => {
    const stats = { epoch: 4, loss: 5.612345, samples: 24_690, seconds: 2 };
    expect(epochProgressLine({ protocol: "temporal-full", seed: 2, epochs: 10, stats })).toBe("temporal-full seed 2 epoch 4/10 loss 5.6123, 12,345 samples/s");
  });

  it("leaves out the throughput of an epoch that took no measurable time", () => {
    const stats = { epoch: 1, loss: 6, samples: 10, seconds: 0 };
    expect(epochProgressLine({ protocol: "loo-sampled-99", seed: 1, epochs: 2, stats })).toBe("loo-sampled-99 seed 1 epoch 1/2 loss 6.0000");
  });
});
