import seedrandom from "seedrandom";
import { ordersBefore } from "./dataset.js";
import { MS_PER_DAY } from "../io/time.js";
import { scoreQueries } from "./score-queries.js";
import { sampledCandidates } from "./protocols.js";
import { shuffleInPlace } from "./shuffle.js";
import type { Dataset, EvalQuery, ProtocolSplit, Scorer } from "./types.js";

/**
 * A validation window carved from the end of a protocol's training interactions (never from its
 * test queries): `fit` are the training rows a model may learn from while its epochs and blend
 * weights are chosen, `queries` the purchases it is judged on.
 *
 * - temporal-full: the last `fraction` of training interactions by time (from the UTC day at that
 *   quantile) are the validation purchases, ranked against the full catalogue with user features as
 *   of the validation start (the test protocol one window earlier).
 * - leave-last-out: each user with two or more training orders at different times holds out their
 *   last training order (one seeded item of it), ranked against NEGATIVES (99) items sampled from the
 *   items the user bought in no training order; features as the protocol's view (point-in-time, or
 *   whole history in the leaky protocol).
 */
export interface ValidationCarve {
  fit: Int32Array;
  queries: EvalQuery[];
  /** Temporal validation start (ms), when the protocol is temporal. */
  start?: number;
}

export interface ValidationOptions {
  /** Fraction of the training interactions (by time) in the temporal validation window (default 0.1). */
  fraction?: number;
}

/** At most this many validation queries (all users with history first, then a seeded sample of cold-start ones). */
const MAX_QUERIES = 1500;
/** Sampled negatives of each leave-last-out validation query, as the test protocol's 99. */
const NEGATIVES = 99;

export function carveValidation(dataset: Dataset, split: ProtocolSplit, options: ValidationOptions = {}): ValidationCarve {
  const fraction = options.fraction ?? 0.1;
  const rng = seedrandom(`validation/${split.protocol}`);
  const { time, user, item, order } = dataset.interactions;
  const train = Int32Array.from(split.train).sort();
  if (split.protocol === "temporal-full") {
    const at = time[train[Math.min(train.length - 1, Math.floor((1 - fraction) * train.length))]!]!;
    const start = Math.floor(at / MS_PER_DAY) * MS_PER_DAY;
    const fit = train.filter((i) => time[i]! < start);
    const queries: EvalQuery[] = [];
    for (const i of train) {
      if (time[i]! < start) continue;
      const u = user[i]!;
      queries.push({ user: u, target: item[i]!, time: time[i]!, knownBefore: start, candidates: null, coldStart: ordersBefore(dataset, u, start) === 0 });
    }
    if (fit.length < 2 || queries.length === 0) return { fit: train, queries: [], start };
    return { fit, queries: capQueries(queries, MAX_QUERIES, rng), start };
  }

  const leaky = split.userFeatureView === "whole-history";
  const byUser = new Map<number, number[]>();
  for (const i of train) {
    const own = byUser.get(user[i]!);
    if (own) own.push(i);
    else byUser.set(user[i]!, [i]);
  }
  const heldOut = new Set<number>();
  const queries: EvalQuery[] = [];
  const nItems = dataset.items.length;
  for (const u of [...byUser.keys()].sort((a, b) => a - b)) {
    const rows = byUser.get(u)!;
    const lastTime = time[rows[rows.length - 1]!]!;
    if (time[rows[0]!]! === lastTime) continue; // one training order time: nothing before it
    const lastRows = rows.filter((i) => time[i]! === lastTime);
    for (const i of lastRows) heldOut.add(order[i]!);
    const target = item[lastRows[Math.floor(rng() * lastRows.length)]!]!;
    const bought = new Set(rows.map((i) => item[i]!));
    if (nItems - bought.size < NEGATIVES) continue;
    const candidates = sampledCandidates(target, bought, nItems, NEGATIVES, rng);
    queries.push({ user: u, target, time: lastTime, knownBefore: leaky ? Infinity : lastTime, candidates, coldStart: false });
  }
  const fit = train.filter((i) => !heldOut.has(order[i]!));
  if (fit.length < 2 || queries.length === 0) return { fit: train, queries: [] };
  return { fit, queries: capQueries(queries, MAX_QUERIES, rng) };
}

/** Every query of a user with history, then a seeded sample of cold-start ones, up to `max` in all (original order kept). */
function capQueries(queries: EvalQuery[], max: number, rng: () => number): EvalQuery[] {
  if (queries.length <= max) return queries;
  const warm = queries.map((q, k) => (q.coldStart ? -1 : k)).filter((k) => k >= 0);
  const cold = Int32Array.from(queries.map((q, k) => (q.coldStart ? k : -1)).filter((k) => k >= 0));
  shuffleInPlace(cold, rng);
  const keep = new Set([...warm.slice(0, max), ...Array.from(cold.subarray(0, Math.max(0, max - warm.length)))]);
  return queries.filter((_, k) => keep.has(k));
}

/**
 * MRR and HR@10 of a scorer over validation queries (expected ranks on ties, as the metrics do), as
 * the mean of the two groups' values when there are queries of users with and without history (the
 * protocols report them separately, and first purchases would otherwise outweigh the rest ~30 to 1).
 */
export function validationScore(scorer: Scorer, queries: readonly EvalQuery[], catalogueSize: number, batch = 256): { mrr: number; hr10: number } {
  const groups = [queries.filter((q) => !q.coldStart), queries.filter((q) => q.coldStart)].filter((g) => g.length > 0);
  let mrr = 0;
  let hr10 = 0;
  for (const group of groups) {
    const r = scoreQueries(scorer, group, catalogueSize, batch);
    mrr += r.mrr / groups.length;
    hr10 += r["hr@10"] / groups.length;
  }
  return { mrr, hr10 };
}
