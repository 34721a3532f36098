import { RankingAccumulator, type QueryScores } from "./metrics.js";
import type { EvalQuery, Scorer } from "./types.js";

/** HR@1/5/10, MRR, NDCG@10 and coverage@10 of one scorer over the queries, scored `batchSize` at a time, with each query's values. */
export function scoreQueries(scorer: Scorer, queries: readonly EvalQuery[], catalogueSize: number, batchSize = 256): QueryScores {
  const acc = new RankingAccumulator(catalogueSize);
  for (let start = 0; start < queries.length; start += batchSize) {
    const batch = queries.slice(start, start + batchSize);
    const scores = scorer.scoreBatch(batch);
    batch.forEach((q, k) => {
      const targetPos = q.candidates === null ? q.target : q.candidates.indexOf(q.target);
      if (targetPos < 0) throw new Error(`query of user ${q.user}: the target is not among the candidates`);
      acc.add(scores[k]!, targetPos, q.candidates);
    });
  }
  return { ...acc.result(), perQuery: acc.outcomes() };
}
