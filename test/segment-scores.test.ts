import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { distinctEdgeCount, quantileEdges, rankFirstScores, scoreRfm, type RfmRow } from "../src/segment/index.js";

const count = (xs: readonly number[], v: number): number => xs.filter((x) => x === v).length;

/** pandas qcut(rank, 5) written out independently: edges 1 + (n-1) b/5, right-closed, first bin incl. lowest. */
function qcutOfRank(rank: number, n: number): number {
  for (let b = 1; b <= 5; b++) if (rank <= 1 + ((n - 1) * b) / 5) return b;
  throw new Error("unreachable");
}

function shuffle<T>(xs: readonly T[], seed: string): T[] {
  const rng = seedrandom(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("rankFirstScores", () => {
  it("an all-equal column still yields all five scores in equal counts, ordered by key", () => {
    const keys = ["j", "i", "h", "g", "f", "e", "d", "c", "b", "a"];
    const scores = rankFirstScores(new Array(10).fill(1), keys);
    for (const s of [1, 2, 3, 4, 5]) expect(count(scores, s)).toBe(2);
    // ties broken by key ascending: "a","b" -> 1 ... "i","j" -> 5
    expect(scores).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it("matches pandas qcut(rank(method='first'), 5) bins for n = 1..60", () => {
    for (let n = 1; n <= 60; n++) {
      const values = Array.from({ length: n }, (_, i) => i);
      const keys = values.map((i) => `k${String(i).padStart(3, "0")}`);
      const expected = values.map((i) => qcutOfRank(i + 1, n));
      expect(rankFirstScores(values, keys), `n=${n}`).toEqual(expected);
    }
    // n = 7: bins of 2,1,1,1,2 as pandas gives
    expect(rankFirstScores([0, 0, 0, 0, 0, 0, 0], ["a", "b", "c", "d", "e", "f", "g"])).toEqual([1, 1, 2, 3, 4, 5, 5]);
  });

  it("descending reverses the scores (recency: fewest days = 5)", () => {
    expect(rankFirstScores([1, 2, 3, 4, 5], ["a", "b", "c", "d", "e"], { descending: true })).toEqual([5, 4, 3, 2, 1]);
  });

  it("rejects NaN and mismatched keys", () => {
    expect(() => rankFirstScores([1, Number.NaN], ["a", "b"])).toThrow(/value 1 .*"b".*NaN/);
    expect(() => rankFirstScores([1, 2], ["a"])).toThrow(/2 values but 1 keys/);
  });
});

describe("scoreRfm", () => {
  // Olist-like: frequency 1 for ~97% of customers, many tied recencies and monetary values.
  const rng = seedrandom("segment-scores");
  const rows: RfmRow[] = Array.from({ length: 1000 }, (_, i) => ({
    customerUniqueId: `c${String(i).padStart(4, "0")}`,
    recencyDays: Math.floor(rng() * 60),
    frequency: rng() < 0.97 ? 1 : 2 + Math.floor(rng() * 3),
    monetary: Math.round(rng() * 20) * 10,
  }));

  it("plain quintile edges collapse on such frequency; rank-first scores stay in equal counts", () => {
    const edges = quantileEdges(rows.map((r) => r.frequency));
    expect(edges.slice(0, 5)).toEqual([1, 1, 1, 1, 1]);
    expect(distinctEdgeCount(edges)).toBeLessThan(6);
    const scored = scoreRfm(rows);
    for (const axis of ["r", "f", "m"] as const) {
      for (const s of [1, 2, 3, 4, 5]) expect(count(scored.map((row) => row[axis]), s), `${axis}=${s}`).toBe(200);
    }
  });

  it("same input in a shuffled order gives the same scores per customer", () => {
    const byId = (scored: ReturnType<typeof scoreRfm>) =>
      Object.fromEntries(scored.map((row) => [row.customerUniqueId, `${row.r}${row.f}${row.m}`]));
    const reference = byId(scoreRfm(rows));
    for (const seed of ["s1", "s2", "s3"]) expect(byId(scoreRfm(shuffle(rows, seed)))).toEqual(reference);
  });

  it("scores are monotone in the value: a higher value never gets a lower score (R inverted)", () => {
    const scored = scoreRfm(rows);
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
});

describe("quantileEdges", () => {
  it("type-7 linear interpolation by hand", () => {
    expect(quantileEdges([1, 2, 3, 4, 5, 6])).toEqual([1, 2, 3, 4, 5, 6]);
    // n = 4 on [10, 20, 30, 40]: h = 3b/5 -> 10, 16, 22, 28, 34, 40
    expect(quantileEdges([40, 10, 30, 20]).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([10, 16, 22, 28, 34, 40]);
    expect(() => quantileEdges([])).toThrow(/no values/);
  });
});
