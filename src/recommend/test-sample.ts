import seedrandom from "seedrandom";
import { shuffleInPlace } from "./shuffle.js";
import type { EvalQuery, ProtocolSplit } from "./types.js";

/**
 * At most this many evaluated purchases per reported group that ranks the whole catalogue (temporal-full's
 * returning customers, and its cold-start ones). At the Olist size every purchase is evaluated (about 10,000
 * test purchases); at 1M orders there are about 100,000, each ranked against 331,000 products.
 */
export const DEFAULT_MAX_CATALOGUE_QUERIES = 10_000;

/** How many test purchases a split had and how many of them are evaluated. */
export interface TestSample {
  /** Test purchases of the protocol, before any sampling. */
  purchases: number;
  coldStartPurchases: number;
  /** Null when every purchase is evaluated; otherwise what was sampled, in words. */
  sampled: string | null;
}

/**
 * The split with each full-catalogue query group (returning and cold-start purchases, as the metrics
 * report them) cut to at most `max` purchases: a uniform sample without replacement, seeded by
 * `seed` and the protocol, in the original order. A uniform sample estimates the same mean as all
 * purchases; the bootstrap intervals, computed over the evaluated purchases, widen to say what it
 * costs. Groups that rank sampled candidates (the leave-last-out protocols, 100 per purchase) are
 * kept whole: they are cheap at any size.
 */
export function sampleCatalogueQueries(split: ProtocolSplit, max: number, seed: string): { split: ProtocolSplit; sample: TestSample } {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxCatalogueQueries must be a positive integer, got ${max}`);
  const coldStartPurchases = split.queries.filter((q) => q.coldStart).length;
  const purchases = split.queries.length;
  const groups = [false, true].map((cold) => split.queries.map((q, k) => (q.coldStart === cold && q.candidates === null ? k : -1)).filter((k) => k >= 0));
  const cut = groups.filter((g) => g.length > max);
  if (cut.length === 0) return { split, sample: { purchases, coldStartPurchases, sampled: null } };
  const rng = seedrandom(`${seed}/${split.protocol}`);
  const dropped = new Uint8Array(purchases);
  const sentences: string[] = [];
  for (const [g, group] of groups.entries()) {
    if (group.length <= max) continue;
    const order = Int32Array.from(group);
    shuffleInPlace(order, rng);
    for (const k of order.subarray(max)) dropped[k] = 1;
    sentences.push(`${max.toLocaleString("en-US")} of ${group.length.toLocaleString("en-US")} ${g === 0 ? "returning-customer" : "cold-start"} purchases`);
  }
  const queries: EvalQuery[] = split.queries.filter((_, k) => dropped[k] === 0);
  const sampled = `${sentences.join(" and ")} evaluated (a uniform sample, seed "${seed}/${split.protocol}")`;
  return { split: { ...split, queries }, sample: { purchases, coldStartPurchases, sampled } };
}
