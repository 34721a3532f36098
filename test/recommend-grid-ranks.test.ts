import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { gridRankStats, gridRankStatsMany } from "../src/recommend/grid-ranks.js";

/** One pass per grid value: the definition. */
function naive(base: Float32Array, feature: Float32Array, targetPos: number, grid: readonly number[]) {
  return grid.map((v) => {
    const target = Math.fround(base[targetPos]! + v * feature[targetPos]!);
    let greater = 0;
    let ties = 0;
    for (let c = 0; c < base.length; c++) {
      const s = Math.fround(base[c]! + v * feature[c]!);
      if (c === targetPos) continue;
      if (s > target) greater++;
      else if (s === target) ties++;
    }
    return { greater, ties };
  });
}

describe("gridRankStats", () => {
  const grids = [
    [0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3],
    [0, 0.5, 1, 2, 3, 5, 8, 1000],
    [0, 0.25, 0.5, 1, 2, 4],
  ];

  it("equals one pass per grid value on scores with crossings, ties, sparse features and NaN", () => {
    const rng = seedrandom("grid-ranks");
    for (let trial = 0; trial < 60; trial++) {
      const n = 500 + Math.floor(rng() * 1500);
      const base = Float32Array.from({ length: n }, () => (rng() < 0.3 ? Math.round(rng() * 4) : Math.log1p(20 * rng())));
      const kind = trial % 3;
      const feature = Float32Array.from({ length: n }, () => (kind === 0 ? 20 * (rng() - 0.5) : kind === 1 ? +(rng() < 0.1) : rng() < 0.02 ? rng() : 0));
      if (trial % 5 === 4) base[Math.floor(rng() * n)] = Number.NaN;
      const targetPos = Math.floor(rng() * n);
      const grid = grids[trial % grids.length]!;
      expect(gridRankStats(base, feature, targetPos, grid), `trial ${trial}`).toEqual(naive(base, feature, targetPos, grid));
    }
  });

  it("counts exact ties that appear only at some grid values", () => {
    // item 1 equals the target at v = 1 only (2 + 1·1 = 3 + 1·0); item 2 equals it everywhere
    const base = Float32Array.of(3, 2, 3, 0);
    const feature = Float32Array.of(0, 1, 0, 0);
    expect(gridRankStats(base, feature, 0, [0, 1, 2])).toEqual([
      { greater: 0, ties: 1 },
      { greater: 0, ties: 2 },
      { greater: 1, ties: 1 },
    ]);
  });

  it("for several targets in the same scores equals gridRankStats of each", () => {
    const rng = seedrandom("grid-ranks-many");
    for (let trial = 0; trial < 20; trial++) {
      const n = 300 + Math.floor(rng() * 700);
      const base = Float32Array.from({ length: n }, () => (rng() < 0.4 ? Math.round(rng() * 3) : Math.log1p(10 * rng())));
      const feature = Float32Array.from({ length: n }, () => (trial % 2 === 0 ? 10 * (rng() - 0.5) : +(rng() < 0.2)));
      if (trial % 4 === 3) base[Math.floor(rng() * n)] = Number.NaN;
      const targets = Int32Array.from({ length: 1 + Math.floor(rng() * 40) }, () => Math.floor(rng() * n));
      const grid = grids[trial % grids.length]!;
      const many = gridRankStatsMany(base, feature, targets, grid);
      targets.forEach((p, j) => expect(many[j], `trial ${trial}, target ${p}`).toEqual(gridRankStats(base, feature, p, grid)));
    }
  });
});
