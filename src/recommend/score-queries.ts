import { RankingAccumulator, type QueryScores } from "./metrics.js";
import type { EvalQuery, Scorer } from "./types.js";

/** HR@1/5/10, MRR, NDCG@10 and coverage@10 of one scorer over the queries, scored `batchSize` at a time, with each query's values. */
export function scoreQueries(scorer: Scorer, queries: readonly EvalQuery[], catalogueSize: number, batchSize = 256): QueryScores {
  return scoreQueriesTogether([scorer], queries, catalogueSize, batchSize)[0]!;
}

/**
 * The same as scoreQueries for several scorers in one pass over the batches: every scorer scores the
 * same batch array, so a scorer built on another (the hybrid on the two-tower, through
 * `reuseLastBatch`) gets the other's scores of that batch without computing them again.
 */
export function scoreQueriesTogether(scorers: readonly Scorer[], queries: readonly EvalQuery[], catalogueSize: number, batchSize = 256): QueryScores[] {
  const accumulators = scorers.map(() => new RankingAccumulator(catalogueSize));
  for (let start = 0, end = 0; start < queries.length; start = end) {
    end = batchEnd(queries, start, catalogueSize, batchSize);
    const batch = queries.slice(start, end);
    const targets = batch.map((q) => {
      const targetPos = q.candidates === null ? q.target : q.candidates.indexOf(q.target);
      if (targetPos < 0) throw new Error(`query of user ${q.user}: the target is not among the candidates`);
      return targetPos;
    });
    scorers.forEach((scorer, s) => {
      const scores = scorer.scoreBatch(batch);
      batch.forEach((q, k) => accumulators[s]!.add(scores[k]!, targets[k]!, q.candidates));
    });
  }
  return accumulators.map((acc) => ({ ...acc.result(), perQuery: acc.outcomes() }));
}

/**
 * Scores of its own that one batch may hold per scorer: 16M (64 MB of float32). A user with history
 * ranked against the whole catalogue gets a vector of its own; users without history share theirs (see
 * `Scorer`), so they count for nothing. At 331,363 products a batch holds 48 users with history
 * instead of 256 (339 MB per scorer); up to 62,500 products the cap changes nothing.
 */
const OWN_SCORES_PER_BATCH = 16_000_000;

/** Where the batch starting at `start` ends: at most `batchSize` queries and OWN_SCORES_PER_BATCH scores of their own (at least one query). */
export function batchEnd(queries: readonly EvalQuery[], start: number, catalogueSize: number, batchSize: number, ownScoresPerBatch = OWN_SCORES_PER_BATCH): number {
  let end = start;
  let scores = 0;
  while (end < queries.length && end - start < batchSize) {
    const q = queries[end]!;
    const own = q.candidates !== null ? q.candidates.length : q.coldStart ? 0 : catalogueSize;
    if (end > start && scores + own > ownScoresPerBatch) break;
    scores += own;
    end += 1;
  }
  return end;
}

/** `scorer`, remembering its scores of the last batch: asked again for the same batch array, it returns them. */
export function reuseLastBatch(scorer: Scorer): Scorer {
  let last: { batch: readonly EvalQuery[]; scores: Float32Array[] } | undefined;
  return {
    name: scorer.name,
    scoreBatch(batch) {
      if (last?.batch !== batch) last = { batch, scores: scorer.scoreBatch(batch) };
      return last.scores;
    },
  };
}
