import { describe, expect, it } from "vitest";
import { reuseLastBatch, scoreQueries, scoreQueriesTogether } from "../src/recommend/score-queries.js";
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
