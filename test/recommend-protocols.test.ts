import { describe, expect, it } from "vitest";
import { MS_PER_DAY } from "../src/io/time.js";
import { buildDataset, groupOf } from "../src/recommend/dataset.js";
import { defaultCutoff, leaveLastOutSplit, parseProtocols, temporalFullSplit } from "../src/recommend/protocols.js";
import type { Dataset, ProtocolSplit } from "../src/recommend/types.js";
import { day, recOrder, syntheticRecommendInput, tinyInput } from "./support/recommend-fixture.js";

const START = Date.UTC(2017, 0, 1);
const INPUT = syntheticRecommendInput({ users: 400, items: 250, categories: 8, seed: "protocols", repeatShare: 0.4 });
const DS = buildDataset(INPUT);

/** Order times of each user id straight from the input (independent of the dataset's indexing). */
const ORDER_TIMES = new Map<string, number[]>();
for (const o of INPUT.orders) ORDER_TIMES.set(o.userId, [...(ORDER_TIMES.get(o.userId) ?? []), o.time]);

const trainSet = (split: ProtocolSplit): Set<number> => new Set(split.train);

describe("temporal-full", () => {
  const cutoff = START + 300 * MS_PER_DAY;
  const split = temporalFullSplit(DS, { cutoff });

  it("trains on every interaction before the cut-off and queries every one at or after it", () => {
    expect(split.protocol).toBe("temporal-full");
    expect(split.cutoff).toBe(cutoff);
    expect(split.userFeatureView).toBe("point-in-time");
    for (const i of split.train) expect(DS.interactions.time[i]).toBeLessThan(cutoff);
    for (const q of split.queries) expect(q.time).toBeGreaterThanOrEqual(cutoff);
    const before = Array.from(DS.interactions.time).filter((t) => t < cutoff).length;
    expect(split.train.length).toBe(before);
    expect(split.queries.length).toBe(DS.interactions.length - before);
    // one query per test interaction, with its user and item
    const expected = [];
    for (let i = 0; i < DS.interactions.length; i++) {
      if (DS.interactions.time[i]! >= cutoff) expected.push([DS.interactions.user[i], DS.interactions.item[i], DS.interactions.time[i]]);
    }
    expect(split.queries.map((q) => [q.user, q.target, q.time])).toEqual(expected);
  });

  it("ranks the full catalogue with knowledge up to the cut-off", () => {
    for (const q of split.queries) {
      expect(q.candidates).toBeNull();
      expect(q.knownBefore).toBe(cutoff);
    }
  });

  it("marks cold-start exactly the users with no order before the cut-off", () => {
    let cold = 0;
    for (const q of split.queries) {
      const times = ORDER_TIMES.get(DS.userIds[q.user]!)!;
      const isCold = !times.some((t) => t < cutoff);
      expect(q.coldStart, DS.userIds[q.user]).toBe(isCold);
      if (isCold) cold++;
    }
    expect(cold).toBeGreaterThan(0);
    expect(cold).toBeLessThan(split.queries.length);
  });

  it("puts an interaction exactly at the cut-off in the test set", () => {
    const ds = buildDataset(tinyInput([recOrder("o1", "u1", 0, ["a-toy"]), recOrder("o2", "u1", 5, ["b-book"]), recOrder("o3", "u2", 5, ["c-book"])]));
    const s = temporalFullSplit(ds, { cutoff: day(5) });
    expect(s.train.length).toBe(1);
    expect(s.queries.map((q) => [ds.userIds[q.user], ds.items[q.target]!.productId, q.coldStart])).toEqual([
      ["u1", "b-book", false],
      ["u2", "c-book", true],
    ]);
  });

  it("defaults to a UTC midnight near the 90% quantile of interaction times", () => {
    const c = defaultCutoff(DS);
    expect(c % MS_PER_DAY).toBe(0);
    expect(new Date(c).toISOString()).toMatch(/T00:00:00\.000Z$/);
    const s = temporalFullSplit(DS);
    expect(s.cutoff).toBe(c);
    const share = s.queries.length / DS.interactions.length;
    expect(share).toBeGreaterThanOrEqual(0.1);
    // flooring to the day moves at most one day's interactions into the test set
    expect(share).toBeLessThan(0.15);
    expect(defaultCutoff(DS, 0.3) % MS_PER_DAY).toBe(0);
    expect(defaultCutoff(DS, 0.3)).toBeLessThan(c);
  });

  it("rejects a cut-off with no training or no test interaction", () => {
    expect(() => temporalFullSplit(DS, { cutoff: START })).toThrow(/no interaction before/);
    expect(() => temporalFullSplit(DS, { cutoff: START + 400 * MS_PER_DAY })).toThrow(/no interaction on or after/);
  });
});

describe("leave-last-out", () => {
  const split = leaveLastOutSplit(DS, { seed: "s1" });
  const train = trainSet(split);
  /** Items each user ever bought. */
  const bought = (ds: Dataset, u: number): Set<number> => new Set(Array.from(groupOf(ds.userOrders, u)).flatMap((o) => Array.from(groupOf(ds.orderItems, o))));

  it("has one query per user with two or more orders at different times", () => {
    expect(split.protocol).toBe("loo-sampled-99");
    expect(split.userFeatureView).toBe("point-in-time");
    const eligible = DS.userIds.filter((id) => new Set(ORDER_TIMES.get(id)!).size >= 2).sort();
    expect(eligible.length).toBeGreaterThan(50);
    expect(split.queries.map((q) => DS.userIds[q.user]).sort()).toEqual(eligible);
  });

  it("holds the whole last order out of train and keeps every other interaction", () => {
    const heldOut = new Set<number>();
    for (const q of split.queries) {
      const lastTime = Math.max(...ORDER_TIMES.get(DS.userIds[q.user]!)!);
      expect(q.time).toBe(lastTime);
      expect(q.knownBefore).toBe(lastTime);
      expect(q.coldStart).toBe(false);
      for (const i of groupOf(DS.userInteractions, q.user)) {
        if (DS.interactions.time[i] === lastTime) {
          expect(train.has(i)).toBe(false);
          heldOut.add(i);
        } else {
          expect(train.has(i)).toBe(true);
        }
      }
    }
    expect(split.train.length + heldOut.size).toBe(DS.interactions.length);
  });

  it("targets an item of the user's last order", () => {
    for (const q of split.queries) {
      const own = groupOf(DS.userOrders, q.user);
      const last = own[own.length - 1]!;
      expect(Array.from(groupOf(DS.orderItems, last))).toContain(q.target);
    }
  });

  it("ranks the target against 99 distinct items the user never bought", () => {
    for (const q of split.queries) {
      const c = Array.from(q.candidates!);
      expect(c).toHaveLength(100);
      expect(new Set(c).size).toBe(100);
      expect(c).toContain(q.target);
      const own = bought(DS, q.user);
      expect(c.filter((item) => item !== q.target && own.has(item))).toEqual([]);
      expect(c.every((item) => Number.isInteger(item) && item >= 0 && item < DS.items.length)).toBe(true);
    }
  });

  it("does not always list the target first", () => {
    const positions = new Set(split.queries.map((q) => q.candidates!.indexOf(q.target)));
    expect(positions.size).toBeGreaterThan(10);
  });

  it("is reproducible with the same seed and samples other negatives with another", () => {
    const again = leaveLastOutSplit(DS, { seed: "s1" });
    expect(again.queries).toEqual(split.queries);
    expect(Array.from(again.train)).toEqual(Array.from(split.train));
    const other = leaveLastOutSplit(DS, { seed: "s2" });
    expect(other.queries.map((q) => q.user)).toEqual(split.queries.map((q) => q.user));
    const differentNegatives = other.queries.filter((q, k) => {
      const a = new Set(q.candidates);
      return split.queries[k]!.candidates!.some((c) => !a.has(c));
    }).length;
    expect(differentNegatives).toBeGreaterThan(split.queries.length / 2);
  });

  it("honours the number of negatives", () => {
    const s = leaveLastOutSplit(DS, { seed: "s1", negatives: 20 });
    for (const q of s.queries) expect(q.candidates).toHaveLength(21);
  });

  it("leaky: same train, targets and candidates, but knownBefore = Infinity and whole-history features", () => {
    const leaky = leaveLastOutSplit(DS, { seed: "s1", leaky: true });
    expect(leaky.protocol).toBe("loo-sampled-99-leaky");
    expect(leaky.userFeatureView).toBe("whole-history");
    expect(Array.from(leaky.train)).toEqual(Array.from(split.train));
    expect(leaky.queries).toHaveLength(split.queries.length);
    leaky.queries.forEach((q, k) => {
      const p = split.queries[k]!;
      expect(q.knownBefore).toBe(Infinity);
      expect([q.user, q.target, q.time, q.coldStart]).toEqual([p.user, p.target, p.time, p.coldStart]);
      expect(Array.from(q.candidates!)).toEqual(Array.from(p.candidates!));
    });
  });

  it("skips users whose orders share one instant and holds out every order at the last instant", () => {
    const ds = buildDataset(
      tinyInput([
        // u1: two orders at the same instant: no earlier order, no query
        recOrder("o1", "u1", 1, ["a-toy"]),
        recOrder("o2", "u1", 1, ["b-book"]),
        // u2: one order on day 0, two on day 3: both day-3 orders leave training
        recOrder("o3", "u2", 0, ["c-book"]),
        recOrder("o4", "u2", 3, ["d-garden"]),
        recOrder("o5", "u2", 3, ["e-toy"]),
        // u3: a single order
        recOrder("o6", "u3", 2, ["a-toy"]),
      ]),
    );
    const s = leaveLastOutSplit(ds, { seed: "tiny", negatives: 1 });
    expect(s.queries.map((q) => ds.userIds[q.user])).toEqual(["u2"]);
    const q = s.queries[0]!;
    // u2 bought c-book, d-garden, e-toy: the one negative is a-toy or b-book
    expect(["a-toy", "b-book"]).toContain(ds.items[q.candidates!.find((c) => c !== q.target)!]!.productId);
    const trained = Array.from(s.train, (i) => `${ds.userIds[ds.interactions.user[i]!]}:${ds.items[ds.interactions.item[i]!]!.productId}`).sort();
    expect(trained).toEqual(["u1:a-toy", "u1:b-book", "u2:c-book", "u3:a-toy"]);
  });

  it("refuses when a user has fewer never-bought items than negatives", () => {
    expect(() => leaveLastOutSplit(DS, { seed: "s1", negatives: DS.items.length })).toThrow(/items left/);
  });
});

describe("parseProtocols", () => {
  it("reads 'all' as every protocol and a comma list in its order", () => {
    expect(parseProtocols("all")).toEqual(["temporal-full", "loo-sampled-99", "loo-sampled-99-leaky"]);
    expect(parseProtocols("loo-sampled-99-leaky, temporal-full")).toEqual(["loo-sampled-99-leaky", "temporal-full"]);
  });

  it("rejects an unknown name with a RangeError naming the choices", () => {
    expect(() => parseProtocols("temporal-full,nonsense")).toThrow(RangeError);
    expect(() => parseProtocols("nonsense")).toThrow("protocol must be one of temporal-full|loo-sampled-99|loo-sampled-99-leaky|all (or a comma list), got 'nonsense'");
  });
});
