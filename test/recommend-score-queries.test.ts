import { describe, expect, it } from "vitest";
import { batchEnd, reuseLastBatch, scoreQueries, scoreQueriesTogether } from "../src/recommend/score-queries.js";
import type { EvalQuery, ModelName, Scorer } from "../src/recommend/types.js";

const ITEMS = 20;
const queries: EvalQuery[] = Array.from({ length: 7 }, (_, u) => ({ user: u, target: (u * 3) % ITEMS, time: 0, knownBefore: 0, candidates: null, coldStart: false }));

/** Scores item i of user u as ((u + 1) * (i + 7)) % 13, counting the batches it is asked for. */
function countingScorer(name: ModelName = "two-tower"): Scorer & { calls: number } {
  const scorer: Scorer & { calls: number } = {
    name,
    calls: 0,
    scoreBatch(batch: readonly EvalQuery[]) {
      scorer.calls++;
      return batch.map((q) => Float32Array.from({ length: ITEMS }, (_, i) => ((q.user + 1) * (i + 7)) % 13));
    },
  };
  return scorer;
}

/** A scorer built on another, as the hybrid is on the two-tower: base scores plus a bonus for item 0. */
function derived(base: Scorer): Scorer {
  return { name: "two-tower+prior", scoreBatch: (batch) => base.scoreBatch(batch).map((s) => s.map((v, i) => (i === 0 ? v + 5 : v))) };
}

describe("scoring several scorers in one pass", () => {
  it("gives each scorer the same results as scoring it alone", () => {
    const alone = [scoreQueries(countingScorer(), queries, ITEMS, 3), scoreQueries(derived(countingScorer()), queries, ITEMS, 3)];
    const together = scoreQueriesTogether([countingScorer(), derived(countingScorer())], queries, ITEMS, 3);
    expect(together).toEqual(alone);
  });

  it("with reuseLastBatch, a scorer built on another does not make it score a batch twice", () => {
    const base = countingScorer();
    const shared = reuseLastBatch(base);
    const [plain, built] = scoreQueriesTogether([shared, derived(shared)], queries, ITEMS, 3);
    expect(base.calls).toBe(3); // 7 queries in batches of 3
    expect(plain).toEqual(scoreQueries(countingScorer(), queries, ITEMS, 3));
    expect(built).toEqual(scoreQueries(derived(countingScorer()), queries, ITEMS, 3));
  });
});

describe("batches of full-catalogue queries", () => {
  const query = (user: number, kind: "history" | "cold" | "candidates"): EvalQuery => ({
    user, target: 0, time: 0, knownBefore: 0, coldStart: kind === "cold", candidates: kind === "candidates" ? Int32Array.from({ length: 10 }, (_, i) => i) : null,
  });

  it("hold at most the batch size and the scores of their own: users with history count the catalogue, cold-start users nothing, candidates their number", () => {
    const mixed = [query(0, "history"), query(1, "cold"), query(2, "cold"), query(3, "history"), query(4, "candidates"), query(5, "history"), query(6, "history")];
    // catalogue 100, at most 250 own scores: 100 + 0 + 0 + 100 + 10, then 100 + 100
    expect(batchEnd(mixed, 0, 100, 256, 250)).toBe(5);
    expect(batchEnd(mixed, 5, 100, 256, 250)).toBe(7);
    expect(batchEnd(mixed, 0, 100, 3, 1e9)).toBe(3);
    // a query larger than the cap still makes a batch of one
    expect(batchEnd(mixed, 0, 1000, 256, 250)).toBe(1);
    const cold = Array.from({ length: 600 }, (_, u) => query(u, "cold"));
    expect(batchEnd(cold, 0, 1_000_000, 256)).toBe(256);
  });

  it("give the same metrics whatever the cap", () => {
    const byCap = [3, 7, 1000].map((cap) => {
      const acc: number[] = [];
      let start = 0;
      while (start < queries.length) {
        const end = batchEnd(queries, start, ITEMS, 256, cap * ITEMS);
        acc.push(end - start);
        start = end;
      }
      return acc;
    });
    expect(byCap).toEqual([[3, 3, 1], [7], [7]]);
    expect(scoreQueries(countingScorer(), queries, ITEMS)).toEqual(scoreQueries(countingScorer(), queries, ITEMS, 2));
  });
});
