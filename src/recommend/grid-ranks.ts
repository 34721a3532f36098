import { lowerBound } from "../stats/sorted-search.js";
import type { RankStats } from "./metrics.js";

/**
 * The target's rank statistics in `base + v · feature` for each v of an ascending `grid`, with every
 * score rounded to float32 as the blended scores are (so ties come out as there): for grid value g,
 * `greater` counts the positions scoring strictly above the target and `ties` the others scoring the same.
 *
 * The same result as one pass over the scores per grid value, in about two passes: each position's
 * score minus the target's is linear in v, so a position clearly below the target at both ends of the
 * grid is below it at every value in between, and one clearly above at both ends is above it
 * throughout. Only the positions near the target somewhere on the grid are compared per value.
 * "Clearly" is a margin of 1e-6 of the largest score magnitude, far above float32 rounding (6e-8
 * relative). NaN scores are never clear and compare as they do in one pass (never above, never tied).
 */
export function gridRankStats(base: Float32Array, feature: Float32Array, targetPos: number, grid: readonly number[]): RankStats[] {
  const n = base.length;
  const lo = grid[0]!;
  const hi = grid[grid.length - 1]!;
  const extent = Math.max(Math.abs(lo), Math.abs(hi));
  let scale = 0;
  for (let c = 0; c < n; c++) {
    const m = Math.abs(base[c]!) + extent * Math.abs(feature[c]!);
    if (m > scale) scale = m; // NaN never passes
  }
  const margin = 1e-6 * scale + Number.MIN_VALUE;
  const bT = base[targetPos]!;
  const fT = feature[targetPos]!;
  const tLo = bT + lo * fT;
  const tHi = bT + hi * fT;
  let alwaysAbove = 0;
  const near: number[] = [];
  for (let c = 0; c < n; c++) {
    const b = base[c]!;
    const f = feature[c]!;
    const dLo = b + lo * f - tLo;
    const dHi = b + hi * f - tHi;
    if (dLo < -margin && dHi < -margin) continue;
    if (dLo > margin && dHi > margin) alwaysAbove++;
    else near.push(c);
  }
  return grid.map((v) => {
    const target = Math.fround(bT + v * fT);
    let greater = alwaysAbove;
    let ties = 0;
    for (const c of near) {
      const s = Math.fround(base[c]! + v * feature[c]!);
      greater += +(s > target);
      ties += +(s === target);
    }
    // the target is among the near positions (its difference is 0 at both ends) and tied with itself,
    // unless its own score is NaN, which ties with nothing
    return { greater, ties: Number.isNaN(target) ? ties : ties - 1 };
  });
}

/**
 * gridRankStats for several targets in the same scores (queries whose scores are equal, as users without
 * history with the same embedding): `result[j][g]` is target j's statistics at grid value g. One pass
 * per grid value whatever the number of targets: each score is placed among the sorted target scores
 * by binary search.
 */
export function gridRankStatsMany(base: Float32Array, feature: Float32Array, targetPositions: Int32Array, grid: readonly number[]): RankStats[][] {
  const n = base.length;
  const result: RankStats[][] = Array.from(targetPositions, () => []);
  for (const v of grid) {
    const targets = Float64Array.from(targetPositions, (p) => Math.fround(base[p]! + v * feature[p]!));
    const levels = Float64Array.from(new Set(Array.from(targets).filter((t) => !Number.isNaN(t)))).sort();
    const k = levels.length;
    // above[i]: scores above levels[i], through a difference array; equal[i]: scores equal to it
    const aboveDiff = new Float64Array(k + 1);
    const equal = new Float64Array(k);
    for (let c = 0; c < n; c++) {
      const s = Math.fround(base[c]! + v * feature[c]!);
      if (Number.isNaN(s)) continue;
      const lo = lowerBound(levels, s);
      // levels[0 .. lo) are below s
      aboveDiff[0]! += 1;
      aboveDiff[lo]! -= 1;
      if (lo < k && levels[lo] === s) equal[lo]! += 1;
    }
    const above = new Float64Array(k);
    let running = 0;
    for (let i = 0; i < k; i++) above[i] = running += aboveDiff[i]!;
    targets.forEach((t, j) => {
      if (Number.isNaN(t)) {
        result[j]!.push({ greater: 0, ties: 0 });
        return;
      }
      const at = lowerBound(levels, t);
      result[j]!.push({ greater: above[at]!, ties: equal[at]! - 1 });
    });
  }
  return result;
}

