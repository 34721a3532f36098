import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { DEFAULT_SCORE_THRESHOLDS, distinctEdgeCount, quantileEdges, scoreRfm, type RfmRow } from "../src/segment/index.js";

const count = (xs: readonly number[], v: number): number => xs.filter((x) => x === v).length;

function shuffle<T>(xs: readonly T[], seed: string): T[] {
  const rng = seedrandom(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("scoreRfm", () => {
  // Olist-like: frequency 1 for ~97% of customers, many tied recencies and monetary values.
  const rng = seedrandom("segment-scores");
  const rows: RfmRow[] = Array.from({ length: 1000 }, (_, i) => ({
    customerUniqueId: `c${String(i).padStart(4, "0")}`,
    recencyDays: Math.floor(rng() * 60),
    frequency: rng() < 0.97 ? 1 : 2 + Math.floor(rng() * 3),
    monetary: Math.round(rng() * 20) * 10,
  }));

  it("plain quintile edges collapse on such frequency; repeat-and-spend scores what discriminates (repeat orders, then one-order spend)", () => {
    const edges = quantileEdges(rows.map((r) => r.frequency));
    expect(edges.slice(0, 5)).toEqual([1, 1, 1, 1, 1]);
    expect(distinctEdgeCount(edges)).toBeLessThan(6);
    const { rows: scored, resolved } = scoreRfm(rows);
    expect(resolved.frequencyMode).toBe("repeat-and-spend");
    for (const row of scored) {
      if (row.frequency >= 3) expect(row.f).toBe(5);
      else if (row.frequency === 2) expect(row.f).toBe(4);
      else expect(row.f).toBeLessThanOrEqual(3);
    }
    // one-order customers: F 3 = top 20% of their spend, 2 = the next 30%, 1 = the lower half (ties kept together)
    const oneOrder = scored.filter((r) => r.frequency === 1);
    expect(count(oneOrder.map((r) => r.f), 3) / oneOrder.length).toBeLessThanOrEqual(0.2 + 1e-9);
    expect(count(oneOrder.map((r) => r.f), 1) / oneOrder.length).toBeGreaterThanOrEqual(0.5);
  });

  it("equal values get equal scores: no id or row order decides anyone's score (ids hashed, rows shuffled)", () => {
    const byValues = (scored: ReturnType<typeof scoreRfm>["rows"]) => {
      const seen = new Map<string, string>();
      for (const row of scored) {
        const key = `${row.recencyDays}/${row.frequency}/${row.monetary}`;
        const score = `${row.r}${row.f}${row.m}`;
        expect(seen.get(key) ?? score, key).toBe(score);
        seen.set(key, score);
      }
      return Object.fromEntries(scored.map((row, i) => [i, `${row.r}${row.f}${row.m}`]));
    };
    byValues(scoreRfm(rows).rows);
    const hash = (id: string) => [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7).toString(36);
    const reference = Object.fromEntries(scoreRfm(rows).rows.map((row) => [hash(row.customerUniqueId), `${row.r}${row.f}${row.m}`]));
    for (const seed of ["s1", "s2", "s3"]) {
      const renamed = shuffle(rows, seed).map((row) => ({ ...row, customerUniqueId: hash(row.customerUniqueId) }));
      expect(Object.fromEntries(scoreRfm(renamed).rows.map((row) => [row.customerUniqueId, `${row.r}${row.f}${row.m}`]))).toEqual(reference);
    }
  });

  it("scores are monotone in the value: a higher value never gets a lower score (R inverted)", () => {
    const { rows: scored } = scoreRfm(rows);
    let violations = 0;
    for (const a of scored) {
      for (const b of scored) {
        if (a.frequency > b.frequency && a.f < b.f) violations++;
        if (a.monetary > b.monetary && a.m < b.m) violations++;
        if (a.recencyDays < b.recencyDays && a.r < b.r) violations++;
      }
    }
    expect(violations).toBe(0);
    expect(scored.every((row) => row.rf === `${row.r}${row.f}`)).toBe(true);
  });

  it("takes thresholds from configuration: fixed recency days, frequency quantiles, and refuses malformed ones", () => {
    const fixed = scoreRfm(rows, { ...DEFAULT_SCORE_THRESHOLDS, recency: { days: [7, 14, 30, 45] } });
    expect(fixed.resolved.recencyDays).toEqual([7, 14, 30, 45]);
    for (const row of fixed.rows) expect(row.r).toBe(row.recencyDays <= 7 ? 5 : row.recencyDays <= 14 ? 4 : row.recencyDays <= 30 ? 3 : row.recencyDays <= 45 ? 2 : 1);
    const spread: RfmRow[] = rows.map((row, i) => ({ ...row, frequency: 1 + (i % 9) }));
    const byQuantiles = scoreRfm(spread);
    expect(byQuantiles.resolved.frequencyMode).toBe("quantiles");
    expect(new Set(byQuantiles.rows.map((r) => r.f)).size).toBe(5);
    expect(() => scoreRfm(rows, { ...DEFAULT_SCORE_THRESHOLDS, recency: { quantiles: [0.2, 0.4, 0.9, 0.8] } })).toThrow(/recency\.quantiles must be 4 non-decreasing/);
    expect(() => scoreRfm(rows, { ...DEFAULT_SCORE_THRESHOLDS, frequency: { ...DEFAULT_SCORE_THRESHOLDS.frequency, repeat: 3, frequent: 3 } })).toThrow(/2 <= repeat < frequent/);
  });
});

describe("quantileEdges", () => {
  it("type-7 linear interpolation by hand", () => {
    expect(quantileEdges([1, 2, 3, 4, 5, 6])).toEqual([1, 2, 3, 4, 5, 6]);
    // n = 4 on [10, 20, 30, 40]: h = 3b/5 -> 10, 16, 22, 28, 34, 40
    expect(quantileEdges([40, 10, 30, 20]).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([10, 16, 22, 28, 34, 40]);
    expect(() => quantileEdges([])).toThrow(/no values/);
  });
});
