import { describe, expect, it } from "vitest";
import { clusterBaseName, crossTab, profileClusters } from "../src/segment/index.js";

const row = (recencyDays: number, frequency: number, monetary: number) => ({ recencyDays, frequency, monetary });

describe("profileClusters", () => {
  // cluster 0: recent repeat big spenders; clusters 1 and 2: lapsed one-off small spenders (2 spends more than 1)
  const rows = [row(10, 3, 500), row(10, 3, 500), row(400, 1, 50), row(400, 1, 50), row(300, 1, 80), row(300, 1, 80)];
  const assignments = [0, 0, 1, 1, 2, 2];

  it("sizes, shares, means on the original scale and revenue", () => {
    const p = profileClusters(rows, assignments);
    expect(p.map((c) => c.size)).toEqual([2, 2, 2]);
    expect(p[0]!.share).toBeCloseTo(1 / 3, 12);
    expect(p[0]!.meanRecencyDays).toBe(10);
    expect(p[0]!.meanFrequency).toBe(3);
    expect(p[2]!.meanMonetary).toBe(80);
    expect(p[0]!.revenue).toBe(1000);
    expect(p[0]!.revenueShare).toBeCloseTo(1000 / 1260, 12);
  });

  it("names are readable, deterministic and unique (duplicates numbered by spend)", () => {
    const names = profileClusters(rows, assignments).map((c) => c.name);
    expect(names).toEqual(["recent, repeat, high spend", "lapsed, one-off, low spend (2)", "lapsed, one-off, low spend (1)"]);
    expect(new Set(names).size).toBe(names.length);
    expect(profileClusters(rows, assignments).map((c) => c.name)).toEqual(names);
  });

  it("an empty cluster (k given) is named 'empty' with NaN means", () => {
    const p = profileClusters(rows, assignments, 4);
    expect(p[3]!.size).toBe(0);
    expect(p[3]!.name).toBe("empty");
    expect(p[3]!.meanMonetary).toBeNaN();
  });

  it("base name has a word for each dimension where the cluster stands out from the overall means, and only those", () => {
    const overall = { meanRecencyDays: 100, meanFrequency: 1.1, meanMonetary: 150 };
    expect(clusterBaseName({ size: 1, meanRecencyDays: 50, meanFrequency: 1, meanMonetary: 300 }, overall)).toBe("recent, one-off, high spend");
    expect(clusterBaseName({ size: 1, meanRecencyDays: 150, meanFrequency: 2, meanMonetary: 100 }, overall)).toBe("lapsed, repeat, low spend");
    // within 25% above / 20% below the overall mean: no word (an Olist k = 2 split: one-off vs repeat buyers)
    expect(clusterBaseName({ size: 1, meanRecencyDays: 93, meanFrequency: 2.09, meanMonetary: 310 }, { meanRecencyDays: 100, meanFrequency: 1.03, meanMonetary: 162 })).toBe("repeat, high spend");
    expect(clusterBaseName({ size: 1, meanRecencyDays: 101, meanFrequency: 1, meanMonetary: 158 }, { meanRecencyDays: 100, meanFrequency: 1.03, meanMonetary: 162 })).toBe("one-off");
    expect(clusterBaseName({ size: 1, meanRecencyDays: 100, meanFrequency: 6, meanMonetary: 150 }, { meanRecencyDays: 100, meanFrequency: 6, meanMonetary: 150 })).toBe("typical");
    expect(clusterBaseName({ size: 1, meanRecencyDays: 100, meanFrequency: 3, meanMonetary: 150 }, { meanRecencyDays: 100, meanFrequency: 6, meanMonetary: 150 })).toBe("infrequent");
  });

  it("rejects mismatched lengths and labels outside 0..k-1", () => {
    expect(() => profileClusters(rows, [0])).toThrow(RangeError);
    expect(() => profileClusters(rows, assignments, 2)).toThrow(/cluster 2/);
  });
});

describe("crossTab", () => {
  it("counts per (segment, cluster), in the given segment order, summing to n", () => {
    const segments = ["At Risk", "Champions", "At Risk", "Zeta", "Champions", "At Risk"];
    const clusters = [1, 0, 1, 2, 1, 0];
    const t = crossTab(segments, clusters, ["Champions", "Loyal Customers", "At Risk"]);
    expect(t.segments).toEqual(["Champions", "Loyal Customers", "At Risk", "Zeta"]);
    expect(t.clusters).toEqual([0, 1, 2]);
    expect(t.counts).toEqual([
      [1, 1, 0],
      [0, 0, 0],
      [1, 2, 0],
      [0, 0, 1],
    ]);
    expect(t.counts.flat().reduce((s, v) => s + v, 0)).toBe(segments.length);
    expect(t.total).toBe(6);
  });
});
