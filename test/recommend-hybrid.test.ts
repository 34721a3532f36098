import { beforeAll, describe, expect, it } from "vitest";
import { MS_PER_DAY } from "../src/io/time.js";
import { lastCategoryScorer, popularityScorer } from "../src/recommend/baselines.js";
import { resolveTwoTowerConfig } from "../src/recommend/config.js";
import { buildDataset, groupOf } from "../src/recommend/dataset.js";
import { fitTwoTower, hybridTwoTowerScorer, twoTowerScorer } from "../src/recommend/fit.js";
import { PRIOR_ONLY_WEIGHTS, buildPriors, chooseHybridWeights, hybridScorer, maxWarmSearchQueries } from "../src/recommend/hybrid.js";
import { expectedReciprocalRank, rankStats } from "../src/recommend/metrics.js";
import { leaveLastOutSplit, temporalFullSplit } from "../src/recommend/protocols.js";
import { initTensorflow } from "../src/recommend/tf-runtime.js";
import { carveValidation } from "../src/recommend/validation.js";
import type { EvalQuery, Scorer } from "../src/recommend/types.js";
import { syntheticRecommendInput } from "./support/recommend-fixture.js";

const SMALL = resolveTwoTowerConfig({ epochs: 3, batchSize: 64, hiddenUnits: 16, embeddingDim: 8, itemIdDim: 8, categoryDim: 4, stateDim: 4, learningRate: 0.01 });
const ds = buildDataset(syntheticRecommendInput({ users: 400, items: 120, categories: 6, seed: "hybrid", repeatShare: 0.5 }));
const CUTOFF = Date.UTC(2017, 0, 1) + 320 * MS_PER_DAY;

beforeAll(async () => {
  await initTensorflow();
});

/** Where each query's target ranks under a scorer: how many candidates score above it, how many the same. */
function ranks(scorer: Scorer, queries: readonly EvalQuery[]): { greater: number; ties: number }[] {
  const scores = scorer.scoreBatch(queries);
  return queries.map((q, k) => rankStats(scores[k]!, q.candidates === null ? q.target : q.candidates.indexOf(q.target)));
}

describe("two-tower+prior", () => {
  const split = temporalFullSplit(ds, { cutoff: CUTOFF });
  const loo = leaveLastOutSplit(ds, { seed: "h", negatives: 30 });

  it("shares one score vector among cold-start users with equal embeddings, equal to scoring each alone", async () => {
    const fitted = await fitTwoTower(ds, split, SMALL, "1");
    const cold = split.queries.filter((q) => q.coldStart);
    const stateOf = (q: EvalQuery) => ds.states[ds.orderState[groupOf(ds.userOrders, q.user)[0]!]!];
    const byState = new Map<string, EvalQuery[]>();
    for (const q of cold) byState.set(stateOf(q)!, [...(byState.get(stateOf(q)!) ?? []), q]);
    const [state, same] = [...byState].sort((a, b) => b[1].length - a[1].length)[0]!;
    expect(same.length, state).toBeGreaterThan(2);
    const together = twoTowerScorer(fitted, ds).scoreBatch(same);
    for (const [k, q] of same.entries()) {
      expect(together[k]).toBe(together[0]);
      expect(Array.from(twoTowerScorer(fitted, ds).scoreBatch([q])[0]!)).toEqual(Array.from(together[0]!));
    }
    // later batches get the kept vector; two-tower+prior shares its blend of it too
    const scorer = twoTowerScorer(fitted, ds);
    const first = scorer.scoreBatch(same.slice(0, 2));
    expect(scorer.scoreBatch(same.slice(2, 3))[0]).toEqual(first[0]);
    const weights = { ...PRIOR_ONLY_WEIGHTS, cold: { twoTower: 0.5 } };
    const blended = hybridScorer(ds, buildPriors(ds, split.train), twoTowerScorer(fitted, ds), SMALL.temperature, weights).scoreBatch(same);
    expect(blended[1]).toBe(blended[0]);
    const alone = hybridScorer(ds, buildPriors(ds, split.train), twoTowerScorer(fitted, ds), SMALL.temperature, weights).scoreBatch([same[1]!]);
    expect(Array.from(alone[0]!)).toEqual(Array.from(blended[0]!));
  });

  it("with the prior-only weights ranks as last-category for users with history and as popularity without", async () => {
    const fitted = await fitTwoTower(ds, split, SMALL, "1");
    for (const s of [split, loo]) {
      const hybrid = hybridScorer(ds, buildPriors(ds, s.train), twoTowerScorer(fitted, ds), SMALL.temperature, PRIOR_ONLY_WEIGHTS);
      const warm = s.queries.filter((q) => !q.coldStart);
      const cold = s.queries.filter((q) => q.coldStart);
      expect(warm.length).toBeGreaterThan(5);
      expect(ranks(hybrid, warm)).toEqual(ranks(lastCategoryScorer(ds, s.train), warm));
      if (cold.length > 0) expect(ranks(hybrid, cold)).toEqual(ranks(popularityScorer(ds, s.train), cold));
    }
  });

  it("chooses weights deterministically on the validation window, from the grids, and names itself two-tower+prior", async () => {
    const fitted = await fitTwoTower(ds, loo, SMALL, "2");
    const carve = carveValidation(ds, loo);
    const again = chooseHybridWeights(ds, buildPriors(ds, carve.fit), twoTowerScorer(fitted, ds), SMALL.temperature, carve.queries);
    // logits computed again for each pass of the search (as at 331K products) choose the same weights
    const recomputed = chooseHybridWeights(ds, buildPriors(ds, carve.fit), twoTowerScorer(fitted, ds), SMALL.temperature, carve.queries, 0);
    expect(recomputed).toEqual(again);
    const temporalFit = await fitTwoTower(ds, split, SMALL, "2");
    const temporalCarve = carveValidation(ds, split);
    const choose = (kept?: number) => chooseHybridWeights(ds, buildPriors(ds, temporalCarve.fit), twoTowerScorer(temporalFit, ds), SMALL.temperature, temporalCarve.queries, kept);
    expect(temporalCarve.queries.some((q) => q.coldStart) && temporalCarve.queries.some((q) => !q.coldStart)).toBe(true);
    expect(choose(0)).toEqual(choose());
    // logits computed again per pass are computed only for the passes that read them: a scorer whose
    // logits are all 0 never earns a two-tower weight, so only the two-tower weight's own pass of each
    // round (at most 3 rounds; 4 weights a round) asks for the warm users' logits
    let warmScored = 0;
    const flat: Scorer = { name: "two-tower", scoreBatch: (b) => b.map((q) => ((warmScored += q.coldStart ? 0 : 1), new Float32Array(q.candidates?.length ?? ds.items.length))) };
    const flatWeights = chooseHybridWeights(ds, buildPriors(ds, temporalCarve.fit), flat, SMALL.temperature, temporalCarve.queries, 0);
    expect(flatWeights.warm.twoTower).toBe(0);
    const passes = warmScored / flatWeights.chosenOn.warmQueries;
    expect(Number.isInteger(passes) && passes >= 1 && passes <= 3).toBe(true);
    expect(again).toEqual(fitted.hybrid);
    expect(fitted.hybrid.chosenOn.warmQueries).toBeGreaterThan(0);
    // the search starts at the prior-only weights and moves only on a better validation score
    const prior = chooseHybridWeights(ds, buildPriors(ds, carve.fit), twoTowerScorer(fitted, ds), SMALL.temperature, []);
    expect(prior.warm).toEqual(PRIOR_ONLY_WEIGHTS.warm);
    expect(hybridTwoTowerScorer(fitted, ds, loo).name).toBe("two-tower+prior");
  });

  // The search scores every grid value of a weight in one pass (base + value · feature) instead of
  // blending per value; what it reports must be what the blended scorer gives at the chosen weights.
  it("reports the validation objective that the blended scorer gives at the chosen weights", async () => {
    for (const [s, seed] of [[loo, "3"], [split, "4"]] as const) {
      const fitted = await fitTwoTower(ds, s, SMALL, seed);
      const carve = carveValidation(ds, s);
      const priors = buildPriors(ds, carve.fit);
      const weights = chooseHybridWeights(ds, priors, twoTowerScorer(fitted, ds), SMALL.temperature, carve.queries);
      const scorer = hybridScorer(ds, priors, twoTowerScorer(fitted, ds), SMALL.temperature, weights);
      const objective = (queries: EvalQuery[]) =>
        ranks(scorer, queries).reduce((sum, r) => sum + Math.min(1, Math.max(0, (10 - r.greater) / (r.ties + 1))) + expectedReciprocalRank(r), 0) / queries.length;
      const warm = carve.queries.filter((q) => !q.coldStart);
      const cold = carve.queries.filter((q) => q.coldStart);
      expect(weights.chosenOn.warmQueries).toBe(warm.length);
      expect(weights.chosenOn.warmObjective).toBeCloseTo(objective(warm), 10);
      if (cold.length > 0) expect(weights.chosenOn.coldObjective).toBeCloseTo(objective(cold), 10);
    }
  });

  it("builds its priors from the training rows only", () => {
    const a = buildPriors(ds, split.train);
    const tampered = structuredClone(ds);
    const train = new Set(split.train);
    for (let i = 0; i < tampered.interactions.length; i++) {
      if (train.has(i)) continue;
      tampered.interactions.item[i] = (tampered.interactions.item[i]! + 1) % ds.items.length;
      tampered.interactions.price[i] = 12345;
    }
    expect(buildPriors(tampered, split.train)).toEqual(a);
  });
});

describe("maxWarmSearchQueries", () => {
  it("keeps 1,500 queries up to 40,000 candidates each, then fewer, never under 500", () => {
    expect([100, 33_139, 40_000, 60_000, 120_000, 331_363].map(maxWarmSearchQueries)).toEqual([1500, 1500, 1500, 1000, 500, 500]);
  });
});

