import { describe, expect, it } from "vitest";
import { syntheticRecommendInput } from "./support/recommend-fixture.js";
import { MS_PER_DAY } from "../src/io/time.js";
import {
  coOccurrence,
  coPurchaseScorer,
  lastCategoryScorer,
  popularityScorer,
  recentPopularityScorer,
} from "../src/recommend/baselines.js";
import { buildDataset } from "../src/recommend/dataset.js";
import type { Dataset, EvalQuery, RecItem, RecOrder, Scorer } from "../src/recommend/types.js";

const DAY0 = Date.UTC(2018, 0, 1);
const day = (d: number): number => DAY0 + d * MS_PER_DAY;

function order(orderId: string, userId: string, d: number, products: string[]): RecOrder {
  return {
    orderId,
    userId,
    time: day(d),
    state: "SP",
    paymentValue: 10 * products.length,
    paymentType: "credit_card",
    installments: 1,
    reviewScore: 5,
    items: products.map((productId) => ({ productId, price: 10 })),
  };
}

function catalogue(entries: [productId: string, category: string][]): RecItem[] {
  return entries.map(([productId, category]) => ({
    productId,
    category,
    weightG: null,
    volumeCm3: null,
    photos: null,
    nameLength: null,
    descriptionLength: null,
  }));
}

/** Interaction indices whose row satisfies `keep`. */
function rowsWhere(ds: Dataset, keep: (row: { user: string; time: number }) => boolean): Int32Array {
  const rows: number[] = [];
  for (let r = 0; r < ds.interactions.length; r++) {
    if (keep({ user: ds.userIds[ds.interactions.user[r]!]!, time: ds.interactions.time[r]! })) rows.push(r);
  }
  return Int32Array.from(rows);
}

const allRows = (ds: Dataset): Int32Array => Int32Array.from({ length: ds.interactions.length }, (_, i) => i);

function query(ds: Dataset, userId: string, q: { time: number; knownBefore?: number; candidates?: string[] }): EvalQuery {
  const candidates = q.candidates === undefined ? null : Int32Array.from(q.candidates, (p) => ds.itemIndex.get(p)!);
  return {
    user: ds.userIndex.get(userId)!,
    target: candidates?.[0] ?? 0,
    time: q.time,
    knownBefore: q.knownBefore ?? Number.POSITIVE_INFINITY,
    candidates,
    coldStart: false,
  };
}

/** Scores of one query by product id, for readable assertions. */
function scoresById(ds: Dataset, scorer: Scorer, q: EvalQuery): Record<string, number> {
  const [scores] = scorer.scoreBatch([q]);
  const ids = q.candidates === null ? ds.items.map((i) => i.productId) : Array.from(q.candidates, (i) => ds.items[i]!.productId);
  expect(scores).toHaveLength(ids.length);
  return Object.fromEntries(ids.map((id, k) => [id, scores![k]!]));
}

/** Product ids from the highest score to the lowest (equal scores by product id). */
function ranking(scores: Record<string, number>): string[] {
  return Object.keys(scores).sort((a, b) => scores[b]! - scores[a]! || (a < b ? -1 : 1));
}

const FIVE_ITEMS = catalogue([
  ["a", "toys"],
  ["b", "toys"],
  ["c", "books"],
  ["d", "books"],
  ["e", "garden"],
]);

describe("popularityScorer", () => {
  // Train: days 1..3 (a once, b twice). Days 4..6 (c three times) are not train.
  const ds = buildDataset({
    items: FIVE_ITEMS,
    orders: [
      order("o1", "u1", 1, ["a"]),
      order("o2", "u2", 2, ["b"]),
      order("o3", "u3", 3, ["b"]),
      order("o4", "u4", 4, ["c"]),
      order("o5", "u5", 5, ["c"]),
      order("o6", "u6", 6, ["c"]),
    ],
  });
  const scorer = popularityScorer(ds, rowsWhere(ds, (r) => r.time < day(4)));

  it("counts only train interactions", () => {
    expect(scorer.name).toBe("popularity");
    expect(scoresById(ds, scorer, query(ds, "u1", { time: day(10) }))).toEqual({ a: 1, b: 2, c: 0, d: 0, e: 0 });
  });

  it("aligns candidate scores with the candidate order", () => {
    expect(scoresById(ds, scorer, query(ds, "u1", { time: day(10), candidates: ["c", "a", "b"] }))).toEqual({ c: 0, a: 1, b: 2 });
  });

  it("counts an item bought twice in one order once", () => {
    const twice = buildDataset({ items: FIVE_ITEMS, orders: [order("o1", "u1", 1, ["a", "a", "b"])] });
    expect(scoresById(twice, popularityScorer(twice, allRows(twice)), query(twice, "u1", { time: day(2) }))).toMatchObject({ a: 1, b: 1 });
  });
});

describe("recentPopularityScorer", () => {
  // 10-day window. a: 3 buys long ago; b: days 21 and 26; c: days 30 and 31; d: day 20; e: none.
  const ds = buildDataset({
    items: FIVE_ITEMS,
    orders: [
      order("a1", "u1", 5, ["a"]),
      order("a2", "u2", 6, ["a"]),
      order("a3", "u3", 7, ["a"]),
      order("b1", "u4", 21, ["b"]),
      order("b2", "u5", 26, ["b"]),
      order("c1", "u6", 30, ["c"]),
      order("c2", "u7", 31, ["c"]),
      order("d1", "u8", 20, ["d"]),
    ],
  });
  const scorer = recentPopularityScorer(ds, allRows(ds), 10);
  // Overall popularity a 3, b 2, c 2, d 1, e 0; tie-break = popularity / (1 + 3).

  it("counts purchases in [end - window, end) and breaks ties by overall popularity", () => {
    expect(scorer.name).toBe("recent-popularity");
    // End = day 30, window [20, 30): b 2 (21, 26), d 1 (20, the window start, counts); a is too old;
    // c's day-30 purchase is at the end, excluded.
    const s = scoresById(ds, scorer, query(ds, "u1", { time: day(30) }));
    expect(s.a).toBeCloseTo(0 + 3 / 4, 6);
    expect(s.b).toBeCloseTo(2 + 2 / 4, 6);
    expect(s.c).toBeCloseTo(0 + 2 / 4, 6);
    expect(s.d).toBeCloseTo(1 + 1 / 4, 6);
    expect(s.e).toBe(0);
    expect(ranking(s)).toEqual(["b", "d", "a", "c", "e"]);
  });

  it("ends the window at knownBefore when it is before the query time", () => {
    // End = min(day 25, day 30) = day 25, window [15, 25): b 1 (day 21), d 1 (day 20).
    const s = scoresById(ds, scorer, query(ds, "u1", { time: day(30), knownBefore: day(25) }));
    expect(s.b).toBeCloseTo(1 + 2 / 4, 6);
    expect(s.d).toBeCloseTo(1 + 1 / 4, 6);
    expect(ranking(s)).toEqual(["b", "d", "a", "c", "e"]);
    // End = day 32: window [22, 32): b 1 (26), c 2 (30, 31).
    expect(ranking(scoresById(ds, scorer, query(ds, "u1", { time: day(32) })))).toEqual(["c", "b", "a", "d", "e"]);
  });

  it("gives candidate lists the same scores as the full catalogue, and one shared array for a shared window end", () => {
    const full = query(ds, "u1", { time: day(30) });
    const subset = query(ds, "u1", { time: day(30), candidates: ["e", "d", "b"] });
    const [first, second, sub] = scorer.scoreBatch([full, full, subset]);
    // the same array: the ranking metrics rank it once (RankingAccumulator)
    expect(second).toBe(first);
    const index = (p: string): number => ds.itemIndex.get(p)!;
    expect(Array.from(sub!)).toEqual([first![index("e")], first![index("d")], first![index("b")]]);
  });
});

describe("coPurchaseScorer", () => {
  // u1 buys a and b together twice (one pair for u1); u2 buys a, then c in a later order (one pair);
  // d is the most popular item (4 buys) but never bought with anything; u9 buys b on day 8.
  const ds = buildDataset({
    items: FIVE_ITEMS,
    orders: [
      order("o1", "u1", 1, ["a", "b"]),
      order("o2", "u1", 2, ["a", "b"]),
      order("o3", "u2", 3, ["a"]),
      order("o4", "u2", 4, ["c"]),
      order("o5", "u3", 5, ["d"]),
      order("o6", "u4", 5, ["d"]),
      order("o7", "u5", 6, ["d"]),
      order("o8", "u6", 7, ["d"]),
      order("o9", "u9", 8, ["b"]),
    ],
  });
  // Train: before day 8. Popularity a 3, b 2, c 1, d 4, e 0; tie-break = popularity / 5.
  const scorer = coPurchaseScorer(ds, rowsWhere(ds, (r) => r.time < day(8)));

  it("ranks the item bought with the user's history first, counting a pair once per customer", () => {
    expect(scorer.name).toBe("co-purchase");
    // u9's history is b: cooc(b, a) = 1 (u1's two orders count once).
    const s = scoresById(ds, scorer, query(ds, "u9", { time: day(9) }));
    expect(s.a).toBeCloseTo(1 + 3 / 5, 6);
    expect(s.b).toBeCloseTo(2 / 5, 6);
    expect(s.c).toBeCloseTo(1 / 5, 6);
    expect(s.d).toBeCloseTo(4 / 5, 6);
    expect(ranking(s)).toEqual(["a", "d", "b", "c", "e"]);
  });

  it("counts pairs across different orders of one customer and sums over the history", () => {
    // u2's history is a and c: b gets cooc(a, b) = 1; a gets cooc(c, a) = 1; c gets cooc(a, c) = 1.
    const s = scoresById(ds, scorer, query(ds, "u2", { time: day(9) }));
    expect(s.a).toBeCloseTo(1 + 3 / 5, 6);
    expect(s.b).toBeCloseTo(1 + 2 / 5, 6);
    expect(s.c).toBeCloseTo(1 + 1 / 5, 6);
    expect(s.d).toBeCloseTo(4 / 5, 6);
  });

  it("falls back to popularity when knownBefore cuts off the history", () => {
    // u9's only purchase is at day 8, not before knownBefore = day 8: no history.
    const s = scoresById(ds, scorer, query(ds, "u9", { time: day(9), knownBefore: day(8) }));
    expect(ranking(s)).toEqual(["d", "a", "b", "c", "e"]);
    expect(s.a).toBeCloseTo(3 / 5, 6);
  });

  it("aligns candidate scores with the candidate order", () => {
    const s = scoresById(ds, scorer, query(ds, "u9", { time: day(9), candidates: ["d", "a"] }));
    expect(Object.keys(s)).toEqual(["d", "a"]);
    expect(s.a).toBeCloseTo(1 + 3 / 5, 6);
    expect(s.d).toBeCloseTo(4 / 5, 6);
  });

  it("equals counting the pairs of each customer's training items in a map (a subset of the rows, repeat customers)", () => {
    const ds = buildDataset(syntheticRecommendInput({ users: 300, items: 80, categories: 5, seed: "cooc", repeatShare: 0.6 }));
    const train = Int32Array.from({ length: ds.interactions.length }, (_, i) => i).filter((i) => i % 3 !== 1);
    const expected = new Map<string, number>();
    const byUser = new Map<number, number[]>();
    for (const row of train) byUser.set(ds.interactions.user[row]!, [...(byUser.get(ds.interactions.user[row]!) ?? []), ds.interactions.item[row]!]);
    for (const items of byUser.values()) {
      const distinct = [...new Set(items.reverse())].slice(0, 50);
      for (const a of distinct) for (const b of distinct) if (a !== b) expected.set(`${a},${b}`, (expected.get(`${a},${b}`) ?? 0) + 1);
    }
    const cooc = coOccurrence(ds, train);
    const got = new Map<string, number>();
    for (let a = 0; a < ds.items.length; a++) {
      const neighbours = Array.from(cooc.items.subarray(cooc.offsets[a]!, cooc.offsets[a + 1]!));
      expect(neighbours).toEqual([...neighbours].sort((x, y) => x - y));
      neighbours.forEach((b, k) => got.set(`${a},${b}`, cooc.counts[cooc.offsets[a]! + k]!));
    }
    expect(expected.size).toBeGreaterThan(50);
    expect(got).toEqual(expected);
  });

  it("pairs only a customer's 50 most recent distinct items", () => {
    // u1 buys i00..i59 on days 0..59: only i10..i59 form pairs.
    const ids = Array.from({ length: 60 }, (_, i) => `i${String(i).padStart(2, "0")}`);
    const many = buildDataset({
      items: catalogue(ids.map((id) => [id, "x"])),
      orders: ids.map((id, i) => order(`o${i}`, "u1", i, [id])),
    });
    const cooc = coOccurrence(many, allRows(many));
    const degree = (id: string): number => {
      const i = many.itemIndex.get(id)!;
      return cooc.offsets[i + 1]! - cooc.offsets[i]!;
    };
    expect(degree("i00")).toBe(0);
    expect(degree("i09")).toBe(0);
    expect(degree("i10")).toBe(49);
    expect(degree("i59")).toBe(49);
    expect(cooc.items.length).toBe(50 * 49);
  });
});

describe("lastCategoryScorer", () => {
  // Others buy b twice, c three times, d once. q buys c (books) on day 10, then a (toys) on day 20.
  const ds = buildDataset({
    items: FIVE_ITEMS,
    orders: [
      order("o1", "u1", 1, ["b"]),
      order("o2", "u2", 2, ["b"]),
      order("o3", "u3", 3, ["c"]),
      order("o4", "u4", 4, ["c"]),
      order("o5", "u5", 5, ["c"]),
      order("o6", "u6", 6, ["d"]),
      order("q1", "q", 10, ["c"]),
      order("q2", "q", 20, ["a"]),
    ],
  });
  // Train: everyone but q. Popularity a 0, b 2, c 3, d 1, e 0; category bonus 1 + 3 = 4.
  const scorer = lastCategoryScorer(ds, rowsWhere(ds, (r) => r.user !== "q"));

  it("puts the popular items of the user's last category first", () => {
    expect(scorer.name).toBe("last-category");
    // Last purchase a (toys): a 0 + 4, b 2 + 4.
    expect(scoresById(ds, scorer, query(ds, "q", { time: day(30) }))).toEqual({ a: 4, b: 6, c: 3, d: 1, e: 0 });
  });

  it("uses only the history before knownBefore", () => {
    // knownBefore day 20: the day-20 purchase is not history; last purchase c (books).
    expect(scoresById(ds, scorer, query(ds, "q", { time: day(30), knownBefore: day(20) }))).toEqual({ a: 0, b: 2, c: 7, d: 5, e: 0 });
    // knownBefore day 10: no history, plain popularity.
    expect(scoresById(ds, scorer, query(ds, "q", { time: day(30), knownBefore: day(10) }))).toEqual({ a: 0, b: 2, c: 3, d: 1, e: 0 });
  });

  it("aligns candidate scores with the candidate order", () => {
    expect(scoresById(ds, scorer, query(ds, "q", { time: day(30), candidates: ["e", "b", "c"] }))).toEqual({ e: 0, b: 6, c: 3 });
  });
});

describe("all baselines", () => {
  const ds = buildDataset({
    items: FIVE_ITEMS,
    orders: [
      order("o1", "u1", 1, ["a", "b"]),
      order("o2", "u2", 2, ["b", "c"]),
      order("o3", "u2", 3, ["d"]),
      order("o4", "u3", 4, ["e", "a"]),
      order("o5", "u1", 5, ["c"]),
    ],
  });
  const train = allRows(ds);
  const scorers = [popularityScorer(ds, train), recentPopularityScorer(ds, train, 3), coPurchaseScorer(ds, train), lastCategoryScorer(ds, train)];

  it.each(scorers.map((s) => [s.name, s] as const))("%s: candidate scores equal the full-catalogue scores in candidate order", (_, scorer) => {
    for (const user of ["u1", "u2", "u3"]) {
      for (const knownBefore of [day(0), day(3), Number.POSITIVE_INFINITY]) {
        const full = query(ds, user, { time: day(6), knownBefore });
        const subset = query(ds, user, { time: day(6), knownBefore, candidates: ["d", "a", "e", "c"] });
        const [all, some] = scorer.scoreBatch([full, subset]);
        expect(all).toHaveLength(ds.items.length);
        expect(Array.from(some!)).toEqual(Array.from(subset.candidates!, (i) => all![i]!));
      }
    }
  });

  it("returns nothing for no queries", () => {
    for (const scorer of scorers) expect(scorer.scoreBatch([])).toEqual([]);
  });
});
