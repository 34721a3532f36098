import seedrandom from "seedrandom";
import { shuffleInPlace } from "./shuffle.js";
import { groupOf, orderCount, ordersBefore } from "./dataset.js";
import { MS_PER_DAY } from "../io/time.js";
import { PROTOCOLS, type Dataset, type EvalQuery, type ProtocolName, type ProtocolSplit } from "./types.js";

export const PROTOCOL_DESCRIPTIONS: Record<ProtocolName, string> = {
  "temporal-full":
    "Train on interactions before the cut-off; rank each purchase after it against the full catalogue (every product, none excluded: not the customer's earlier purchases, not products first sold later), user features and history as of the cut-off. Users with no order before the cut-off are cold-start and reported separately (temporal-full-cold-start).",
  "loo-sampled-99":
    "Leave-last-out: for each user with >= 2 orders, one item of the last order is held out (the whole order leaves training) and ranked against 99 negatives sampled uniformly from items the user never bought; user features from the earlier orders only.",
  "loo-sampled-99-leaky":
    "As loo-sampled-99 (same held-out items and negatives) but user features and history are computed over the user's whole history, held-out purchase included, in training and evaluation: what a pipeline that builds user features once on all data reports.",
};

/**
 * Protocol names from "all" (every protocol) or a comma list of names. Throws a RangeError naming the
 * valid choices for an unknown name.
 */
export function parseProtocols(value: string): ProtocolName[] {
  if (value === "all") return [...PROTOCOLS];
  const names = value.split(",").map((s) => s.trim());
  for (const name of names) {
    if (!(PROTOCOLS as readonly string[]).includes(name)) throw new RangeError(`protocol must be one of ${PROTOCOLS.join("|")}|all (or a comma list), got '${name}'`);
  }
  return names as ProtocolName[];
}

export interface TemporalOptions {
  /** Cut-off (ms, UTC). Default: the start of the UTC day at the (1 - testFraction) quantile of interaction times. */
  cutoff?: number;
  testFraction?: number;
}

/** The default temporal cut-off: the UTC day start at the (1 - testFraction) quantile of interaction times. */
export function defaultCutoff(dataset: Dataset, testFraction = 0.1): number {
  const times = dataset.interactions.time;
  if (times.length === 0) throw new Error("no interactions to split");
  const at = times[Math.min(times.length - 1, Math.floor((1 - testFraction) * times.length))]!;
  return Math.floor(at / MS_PER_DAY) * MS_PER_DAY;
}

export function temporalFullSplit(dataset: Dataset, options: TemporalOptions = {}): ProtocolSplit {
  const cutoff = options.cutoff ?? defaultCutoff(dataset, options.testFraction ?? 0.1);
  const { time, user, item } = dataset.interactions;
  const train: number[] = [];
  const queries: EvalQuery[] = [];
  for (let i = 0; i < time.length; i++) {
    if (time[i]! < cutoff) {
      train.push(i);
      continue;
    }
    const u = user[i]!;
    queries.push({ user: u, target: item[i]!, time: time[i]!, knownBefore: cutoff, candidates: null, coldStart: ordersBefore(dataset, u, cutoff) === 0 });
  }
  if (train.length === 0) throw new Error(`temporal-full: no interaction before the cut-off ${new Date(cutoff).toISOString()}`);
  if (queries.length === 0) throw new Error(`temporal-full: no interaction on or after the cut-off ${new Date(cutoff).toISOString()}`);
  return { protocol: "temporal-full", description: PROTOCOL_DESCRIPTIONS["temporal-full"], train: Int32Array.from(train), queries, userFeatureView: "point-in-time", cutoff };
}

export interface LeaveLastOutOptions {
  negatives?: number;
  /** Seeds the held-out item of multi-item orders and the sampled negatives (fixed across model seeds). */
  seed?: string;
  leaky?: boolean;
}

/**
 * Leave-last-out with sampled negatives. Users with >= 2 orders hold out one item of their last order
 * (chosen with the seed when the order has several); the rest of that order is neither trained on nor
 * evaluated. Candidates: the target and `negatives` items drawn uniformly without replacement from
 * the items the user never bought, in a seeded random order.
 */
export function leaveLastOutSplit(dataset: Dataset, options: LeaveLastOutOptions = {}): ProtocolSplit {
  const negatives = options.negatives ?? 99;
  const leaky = options.leaky ?? false;
  const rng = seedrandom(options.seed ?? "loo-sampled");
  const nItems = dataset.items.length;
  const heldOutOrders = new Uint8Array(orderCount(dataset));
  const queries: EvalQuery[] = [];
  for (let u = 0; u < dataset.userIds.length; u++) {
    const own = groupOf(dataset.userOrders, u);
    if (own.length < 2) continue;
    const last = own[own.length - 1]!;
    const lastTime = dataset.orderTime[last]!;
    // orders at the same instant as the last one are not "before" it: they leave training too
    if (ordersBefore(dataset, u, lastTime) === 0) continue;
    for (let k = own.length - 1; k >= 0 && dataset.orderTime[own[k]!]! === lastTime; k--) heldOutOrders[own[k]!] = 1;
    const basket = groupOf(dataset.orderItems, last);
    const target = basket[Math.floor(rng() * basket.length)]!;
    const bought = new Set<number>();
    for (const o of own) for (const it of groupOf(dataset.orderItems, o)) bought.add(it);
    const available = nItems - bought.size;
    if (available < negatives) throw new Error(`loo-sampled: only ${available} items left to sample ${negatives} negatives from`);
    const candidates = sampledCandidates(target, bought, nItems, negatives, rng);
    queries.push({ user: u, target, time: lastTime, knownBefore: leaky ? Infinity : lastTime, candidates, coldStart: false });
  }
  const protocol: ProtocolName = leaky ? "loo-sampled-99-leaky" : "loo-sampled-99";
  if (queries.length === 0) throw new Error(`${protocol}: no user with two or more orders at different times`);
  const train: number[] = [];
  for (let i = 0; i < dataset.interactions.length; i++) if (!heldOutOrders[dataset.interactions.order[i]!]) train.push(i);
  return { protocol, description: PROTOCOL_DESCRIPTIONS[protocol], train: Int32Array.from(train), queries, userFeatureView: leaky ? "whole-history" : "point-in-time" };
}

/** The target and `negatives` distinct items the user never bought, drawn uniformly, in a seeded random order. */
export function sampledCandidates(target: number, bought: ReadonlySet<number>, nItems: number, negatives: number, rng: () => number): Int32Array {
  const picked = new Set<number>();
  while (picked.size < negatives) {
    const candidate = Math.floor(rng() * nItems);
    if (!bought.has(candidate)) picked.add(candidate);
  }
  const candidates = Int32Array.from([target, ...picked]);
  shuffleInPlace(candidates, rng);
  return candidates;
}
