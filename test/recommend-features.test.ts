import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { MS_PER_DAY } from "../src/io/time.js";
import { buildDataset, groupOf } from "../src/recommend/dataset.js";
import { encodeUsers, fitEncoders, fitScaler } from "../src/recommend/encoders.js";
import { HISTORY_ITEMS, ITEM_NUMERIC_FEATURES, NO_CATEGORY, USER_NUMERIC_FEATURES, itemFeaturesFrom, userFeaturesBefore, type UserFeatures } from "../src/recommend/features.js";
import { lastCategoryOf } from "../src/recommend/baselines.js";
import { historyBefore } from "../src/recommend/dataset.js";
import { dataEnd, trainingUserFeatureChunks, trainingUserFeatures } from "../src/recommend/fit.js";
import { leaveLastOutSplit, temporalFullSplit } from "../src/recommend/protocols.js";
import type { Dataset, RecOrder, RecommendInput } from "../src/recommend/types.js";
import { PAYMENT_TYPES, day, productId, recItem, recOrder, syntheticWithTruth, tinyInput } from "./support/recommend-fixture.js";

const U = Object.fromEntries(USER_NUMERIC_FEATURES.map((f, i) => [f, i])) as Record<(typeof USER_NUMERIC_FEATURES)[number], number>;
const I = Object.fromEntries(ITEM_NUMERIC_FEATURES.map((f, i) => [f, i])) as Record<(typeof ITEM_NUMERIC_FEATURES)[number], number>;

/** Plain, comparable form of user features (history inputs included: last category, recent products). */
const plain = (f: UserFeatures): { state: string; favouriteCategory: string; lastCategory: string; recentItems: number[]; numeric: number[] } => ({
  state: f.state,
  favouriteCategory: f.favouriteCategory,
  lastCategory: f.lastCategory,
  recentItems: [...f.recentItems],
  numeric: Array.from(f.numeric),
});

const SYN = syntheticWithTruth({ users: 150, items: 60, categories: 5, seed: "features", repeatShare: 0.6 });
const BASE = SYN.input;
const START = Date.UTC(2017, 0, 1);
const END = START + 365 * MS_PER_DAY;

/**
 * Rewrites every order at or after `t`: other products and prices, other payment type, installments,
 * payment value and review; the user and state stay (the state is a profile attribute, see
 * userFeaturesBefore). Adds future orders for existing and brand-new users.
 */
function rewriteFuture(input: RecommendInput, t: number, seed: string): RecommendInput {
  const rng = seedrandom(seed);
  const nItems = input.items.length;
  const stateOf = new Map(input.orders.map((o) => [o.userId, o.state]));
  const anyProduct = (): string => productId(Math.floor(rng() * nItems));
  const orders: RecOrder[] = input.orders.map((o) => {
    if (o.time < t) return o;
    const items = Array.from({ length: 1 + Math.floor(rng() * 3) }, () => ({ productId: anyProduct(), price: 1 + rng() * 900 }));
    return {
      ...o,
      items,
      paymentValue: 5000 * rng(),
      paymentType: PAYMENT_TYPES[(PAYMENT_TYPES.indexOf(o.paymentType as (typeof PAYMENT_TYPES)[number]) + 1) % PAYMENT_TYPES.length]!,
      installments: 1 + Math.floor(rng() * 24),
      reviewScore: o.reviewScore === null ? 1 : null,
    };
  });
  const userIds = [...stateOf.keys()];
  for (let k = 0; k < 80; k++) {
    const newUser = rng() < 0.25;
    const user = newUser ? `zz-new-${k}` : userIds[Math.floor(rng() * userIds.length)]!;
    orders.push({
      orderId: `future-${k}`,
      userId: user,
      // at t exactly now and then, otherwise later
      time: rng() < 0.2 ? t : t + Math.floor(rng() * (END + 30 * MS_PER_DAY - t)),
      state: stateOf.get(user) ?? "AM",
      paymentValue: 3000 * rng(),
      paymentType: "voucher",
      installments: 12,
      reviewScore: 1,
      items: [{ productId: anyProduct(), price: 999 }],
    });
  }
  return { items: input.items, orders };
}

function featuresById(dataset: Dataset, ids: readonly string[], before: number, reference: number): Record<string, ReturnType<typeof plain>> {
  return Object.fromEntries(ids.map((id) => [id, plain(userFeaturesBefore(dataset, dataset.userIndex.get(id)!, before, reference))]));
}

describe("userFeaturesBefore cannot see the future", () => {
  const base = buildDataset(BASE);
  const rng = seedrandom("cutoffs");
  // random cut-offs, plus cut-offs exactly at order times (those orders must not be seen)
  const cutoffs = [
    ...Array.from({ length: 6 }, () => START + Math.floor(rng() * (END - START))),
    ...Array.from({ length: 4 }, () => BASE.orders[Math.floor(rng() * BASE.orders.length)]!.time),
  ];

  it.each(cutoffs.map((t, k) => [k, t] as const))("cut-off #%i: rewriting and adding orders at or after t changes nothing", (k, t) => {
    const changed = buildDataset(rewriteFuture(BASE, t, `rewrite-${k}`));
    // sanity: the rewrite really changed the data after t
    expect(changed.interactions.length).not.toBe(base.interactions.length);
    const ids = base.userIds;
    for (const reference of [END, END + 99 * MS_PER_DAY]) {
      expect(featuresById(changed, ids, t, reference)).toEqual(featuresById(base, ids, t, reference));
    }
  });

  it("sees the history before t (the comparison above is not vacuous)", () => {
    const t = START + 200 * MS_PER_DAY;
    const withHistory = base.userIds.filter((_, u) => base.orderTime[groupOf(base.userOrders, u)[0]!]! < t);
    expect(withHistory.length).toBeGreaterThan(30);
    for (const id of withHistory) expect(userFeaturesBefore(base, base.userIndex.get(id)!, t, END).numeric[U.has_history]).toBe(1);
  });

  it("does not see an order exactly at t, and sees it from t + 1 ms", () => {
    const input = tinyInput([
      recOrder("o1", "u1", 0, ["a-toy"], { paymentValue: 10 }),
      recOrder("o2", "u1", 5, ["b-book", "c-book"], { paymentValue: 1000, paymentType: "boleto", reviewScore: 1 }),
    ]);
    const ds = buildDataset(input);
    const without = buildDataset(tinyInput([input.orders[0]!]));
    const u = ds.userIndex.get("u1")!;
    const atT = userFeaturesBefore(ds, u, day(5), day(30));
    expect(plain(atT)).toEqual(plain(userFeaturesBefore(without, 0, day(5), day(30))));
    expect(atT.numeric[U.log_orders]).toBeCloseTo(Math.log1p(1), 12);
    expect(atT.favouriteCategory).toBe("toys");
    const after = userFeaturesBefore(ds, u, day(5) + 1, day(30));
    expect(after.numeric[U.log_orders]).toBeCloseTo(Math.log1p(2), 12);
    expect(after.favouriteCategory).toBe("books");
  });

  it("gives a user with no order before t no history (zeros, no category) but keeps the profile state", () => {
    const ds = buildDataset(tinyInput([recOrder("o1", "u1", 3, ["a-toy"], { state: "RJ" })]));
    const f = userFeaturesBefore(ds, 0, day(3), day(10));
    expect(f.favouriteCategory).toBe(NO_CATEGORY);
    expect(Array.from(f.numeric)).toEqual(new Array(USER_NUMERIC_FEATURES.length).fill(0));
    expect(f.state).toBe("RJ");
  });
});

describe("userFeaturesBefore on a hand-made user", () => {
  // u1: day 0 (two books, 100 paid, credit card x4, review 4), day 10.25 (toy, 50, boleto, no review),
  // day 12 (garden, 30, voucher, review 2).
  const input = tinyInput([
    recOrder("o1", "u1", 0, ["b-book", "c-book"], { paymentValue: 100, paymentType: "credit_card", installments: 4, reviewScore: 4, state: "MG" }),
    recOrder("o2", "u1", 10.25, ["a-toy"], { paymentValue: 50, paymentType: "boleto", installments: 1, reviewScore: null, state: "SP" }),
    recOrder("o3", "u1", 12, ["d-garden"], { paymentValue: 30, paymentType: "voucher", installments: 1, reviewScore: 2, state: "SP" }),
  ]);
  const ds = buildDataset(input);

  it("computes every numeric feature from the orders before t, recency measured at t", () => {
    const f = userFeaturesBefore(ds, 0, day(11), day(100));
    const expected = new Array(USER_NUMERIC_FEATURES.length).fill(0);
    expected[U.has_history] = 1;
    expected[U.log_orders] = Math.log1p(2);
    expected[U.log_recency_days] = Math.log1p(0.75);
    expected[U.log_total_spend] = Math.log1p(150);
    expected[U.log_avg_order_value] = Math.log1p(75);
    expected[U.avg_installments] = 2.5;
    expected[U.share_credit_card] = 0.5;
    expected[U.share_boleto] = 0.5;
    expected[U.avg_review_score] = 4;
    expected[U.has_review] = 1;
    Array.from(f.numeric).forEach((v, j) => expect(v, USER_NUMERIC_FEATURES[j]).toBeCloseTo(expected[j]!, 10));
    // first order's state, favourite = books (two book interactions against one toy)
    expect(f.state).toBe("MG");
    expect(f.favouriteCategory).toBe("books");
  });

  it("measures recency at the reference time in the whole-history view (before = Infinity)", () => {
    const f = userFeaturesBefore(ds, 0, Infinity, day(20));
    expect(f.numeric[U.log_recency_days]).toBeCloseTo(Math.log1p(8), 10);
    expect(f.numeric[U.log_orders]).toBeCloseTo(Math.log1p(3), 12);
    expect(f.numeric[U.share_voucher]).toBeCloseTo(1 / 3, 12);
    expect(f.numeric[U.avg_review_score]).toBeCloseTo(3, 12);
  });

  it("never reports a negative recency", () => {
    // the whole-history reference before the last purchase: recency clamps at 0
    expect(userFeaturesBefore(ds, 0, Infinity, day(1)).numeric[U.log_recency_days]).toBe(0);
  });
});

describe("history inputs: last category and recent products", () => {
  const input = tinyInput([
    recOrder("o1", "u1", 0, ["b-book", "c-book"]),
    recOrder("o2", "u1", 10.25, ["a-toy"]),
    recOrder("o3", "u1", 12, ["d-garden", "a-toy"]),
  ]);
  const ds = buildDataset(input);
  const item = (id: string): number => ds.itemIndex.get(id)!;
  const at = (t: number): UserFeatures => userFeaturesBefore(ds, 0, t, day(100));

  it("lists the distinct products of the orders before t, newest first, and the last one's category", () => {
    expect(at(day(11)).recentItems).toEqual([item("a-toy"), item("c-book"), item("b-book")]);
    expect(at(day(11)).lastCategory).toBe("toys");
    // a product bought again counts once, at its newest position
    expect(at(day(13)).recentItems).toEqual([item("d-garden"), item("a-toy"), item("c-book"), item("b-book")]);
    expect(at(day(13)).lastCategory).toBe("garden");
  });

  it("never sees the order at t, sees it from t + 1 ms", () => {
    expect(at(day(12)).recentItems).toEqual([item("a-toy"), item("c-book"), item("b-book")]);
    expect(at(day(12)).lastCategory).toBe("toys");
    expect(at(day(12) + 1).lastCategory).toBe("garden");
    expect(at(day(0)).recentItems).toEqual([]);
    expect(at(day(0)).lastCategory).toBe(NO_CATEGORY);
  });

  it("keeps at most HISTORY_ITEMS products", () => {
    const many = buildDataset(tinyInput(["a-toy", "b-book", "c-book", "d-garden", "e-toy"].map((p, k) => recOrder(`o${k}`, "u", k, [p]))));
    const f = userFeaturesBefore(many, 0, day(10), day(10));
    expect(f.recentItems).toHaveLength(Math.min(5, HISTORY_ITEMS));
    expect(f.recentItems[0]).toBe(many.itemIndex.get("e-toy"));
  });

  it("takes the last category from the same item as the last-category baseline", () => {
    const history = historyBefore(ds, 0, day(13));
    expect(at(day(13)).lastCategory).toBe(ds.categories[lastCategoryOf(ds, history)]);
  });
});

describe("favourite category tie rule", () => {
  const favouriteOf = (orders: RecOrder[], before = day(100)): string => {
    const ds = buildDataset(tinyInput(orders));
    return userFeaturesBefore(ds, ds.userIndex.get("u")!, before, before).favouriteCategory;
  };

  it("takes the most bought category", () => {
    expect(favouriteOf([recOrder("o1", "u", 0, ["a-toy", "b-book"]), recOrder("o2", "u", 1, ["c-book"]), recOrder("o3", "u", 2, ["d-garden"])])).toBe("books");
    // a product bought twice in one order counts once (interactions are distinct per order)
    expect(favouriteOf([recOrder("o1", "u", 0, ["a-toy", "a-toy", "a-toy"]), recOrder("o2", "u", 1, ["b-book"]), recOrder("o3", "u", 2, ["c-book"])])).toBe("books");
  });

  it("breaks a count tie by the most recent order", () => {
    expect(favouriteOf([recOrder("o1", "u", 0, ["a-toy"]), recOrder("o2", "u", 1, ["b-book"])])).toBe("books");
    expect(favouriteOf([recOrder("o1", "u", 0, ["b-book"]), recOrder("o2", "u", 1, ["a-toy"])])).toBe("toys");
    // the later order only counts when it is before the cut-off
    const orders = [recOrder("o1", "u", 0, ["b-book"]), recOrder("o2", "u", 1, ["a-toy"]), recOrder("o3", "u", 2, ["c-book"])];
    expect(favouriteOf(orders, day(2))).toBe("toys");
    expect(favouriteOf(orders, day(3))).toBe("books");
  });

  it("breaks a tie within one order by the lower category index (not by the order items are listed in)", () => {
    // categories sorted: books 0, garden 1, toys 2; "a-toy" is listed (and indexed) before "b-book"
    expect(favouriteOf([recOrder("o1", "u", 0, ["a-toy", "b-book"])])).toBe("books");
    expect(favouriteOf([recOrder("o1", "u", 0, ["e-toy", "d-garden"])])).toBe("garden");
    expect(favouriteOf([recOrder("o1", "u", 0, ["b-book", "a-toy"]), recOrder("o2", "u", 1, ["a-toy", "c-book"])])).toBe("books");
  });
});

describe("trainingUserFeatures", () => {
  const ds = buildDataset(BASE);
  const oneOrderUsers = new Set(ds.userIds.map((_, u) => u).filter((u) => groupOf(ds.userOrders, u).length === 1));

  it("point-in-time rows exclude the row's own order (temporal-full)", () => {
    const split = temporalFullSplit(ds, { cutoff: START + 250 * MS_PER_DAY });
    expect(split.userFeatureView).toBe("point-in-time");
    const features = trainingUserFeatures(ds, split);
    expect(features).toHaveLength(split.train.length);
    let checkedOneOrder = 0;
    split.train.forEach((row, k) => {
      const u = ds.interactions.user[row]!;
      const f = features[k]!;
      const priorOrders = groupOf(ds.userOrders, u).filter((o) => ds.orderTime[o]! < ds.interactions.time[row]!).length;
      expect(Math.expm1(f.numeric[U.log_orders]!)).toBeCloseTo(priorOrders, 9);
      expect(f.numeric[U.has_history]).toBe(priorOrders > 0 ? 1 : 0);
      if (oneOrderUsers.has(u)) {
        checkedOneOrder++;
        expect(plain(f)).toEqual({ state: f.state, favouriteCategory: NO_CATEGORY, lastCategory: NO_CATEGORY, recentItems: [], numeric: new Array(USER_NUMERIC_FEATURES.length).fill(0) });
      }
    });
    expect(checkedOneOrder).toBeGreaterThan(10);
  });

  it("point-in-time rows exclude the row's own order (leave-last-out)", () => {
    const split = leaveLastOutSplit(ds, { seed: "f", negatives: 20 });
    const features = trainingUserFeatures(ds, split);
    split.train.forEach((row, k) => {
      const u = ds.interactions.user[row]!;
      expect(plain(features[k]!)).toEqual(plain(userFeaturesBefore(ds, u, ds.interactions.time[row]!, dataEnd(ds))));
      const ownOrderIndex = groupOf(ds.userOrders, u).indexOf(ds.interactions.order[row]!);
      expect(Math.expm1(features[k]!.numeric[U.log_orders]!)).toBeCloseTo(ownOrderIndex, 9);
      // the recent products come from earlier orders only: none of the row's own order (unless bought before too)
      const earlier = new Set(Array.from(groupOf(ds.userOrders, u).slice(0, ownOrderIndex)).flatMap((o) => Array.from(groupOf(ds.orderItems, o))));
      for (const it of features[k]!.recentItems) expect(earlier.has(it)).toBe(true);
      if (ownOrderIndex === 0) expect(features[k]!.lastCategory).toBe(NO_CATEGORY);
    });
  });

  it("the whole-history (leaky) view includes the row's own order and the held-out last order", () => {
    const split = leaveLastOutSplit(ds, { seed: "f", negatives: 20, leaky: true });
    expect(split.userFeatureView).toBe("whole-history");
    const features = trainingUserFeatures(ds, split);
    let oneOrderRows = 0;
    split.train.forEach((row, k) => {
      const u = ds.interactions.user[row]!;
      const f = features[k]!;
      expect(f.numeric[U.has_history]).toBe(1);
      // every order of the user, the held-out last one included
      expect(Math.expm1(f.numeric[U.log_orders]!)).toBeCloseTo(groupOf(ds.userOrders, u).length, 9);
      expect(plain(f)).toEqual(plain(userFeaturesBefore(ds, u, Infinity, dataEnd(ds))));
      // the last category and the newest recent product come from the user's last order, the held-out one included
      const own = groupOf(ds.userOrders, u);
      const last = groupOf(ds.orderItems, own[own.length - 1]!);
      expect(f.lastCategory).toBe(ds.categories[ds.itemCategory[last[last.length - 1]!]!]);
      expect(f.recentItems[0]).toBe(last[last.length - 1]);
      if (oneOrderUsers.has(u)) oneOrderRows++;
    });
    expect(oneOrderRows).toBeGreaterThan(10);
  });
});

describe("itemFeaturesFrom depends only on the train interactions", () => {
  const ds = buildDataset(BASE);
  const split = temporalFullSplit(ds, { cutoff: START + 200 * MS_PER_DAY });
  const trainSet = new Set(split.train);

  it("ignores the prices and items of non-train interactions", () => {
    const before = itemFeaturesFrom(ds, split.train);
    const tampered = structuredClone(ds);
    const rng = seedrandom("tamper");
    let changed = 0;
    for (let i = 0; i < tampered.interactions.length; i++) {
      if (trainSet.has(i)) continue;
      tampered.interactions.price[i] = 1e6 * rng();
      tampered.interactions.item[i] = Math.floor(rng() * ds.items.length);
      changed++;
    }
    expect(changed).toBeGreaterThan(50);
    const after = itemFeaturesFrom(tampered, split.train);
    expect(after.numeric.map((r) => Array.from(r))).toEqual(before.numeric.map((r) => Array.from(r)));
    expect(Array.from(after.sales)).toEqual(Array.from(before.sales));
  });

  it("ignores rewritten future orders (built through buildDataset)", () => {
    const cutoff = START + 200 * MS_PER_DAY;
    // only rewrite, do not add: the train interaction indices stay the same
    const rewritten = { items: BASE.items, orders: BASE.orders.map((o) => (o.time < cutoff ? o : { ...o, items: o.items.map((l) => ({ ...l, price: l.price * 50 + 7 })) })) };
    const other = buildDataset(rewritten);
    const otherSplit = temporalFullSplit(other, { cutoff });
    expect(Array.from(otherSplit.train)).toEqual(Array.from(split.train));
    expect(itemFeaturesFrom(other, otherSplit.train).numeric.map((r) => Array.from(r))).toEqual(itemFeaturesFrom(ds, split.train).numeric.map((r) => Array.from(r)));
  });

  it("counts train rows only in sales and log_sales", () => {
    const f = itemFeaturesFrom(ds, split.train);
    const counts = new Array(ds.items.length).fill(0);
    for (const row of split.train) counts[ds.interactions.item[row]!]++;
    const all = new Array(ds.items.length).fill(0);
    for (let i = 0; i < ds.interactions.length; i++) all[ds.interactions.item[i]!]++;
    expect(counts).not.toEqual(all);
    expect(Array.from(f.sales)).toEqual(counts);
    f.numeric.forEach((row, item) => {
      expect(row[I.log_sales]).toBeCloseTo(Math.log1p(counts[item]), 12);
      expect(row[I.price_known]).toBe(counts[item] > 0 ? 1 : 0);
    });
  });

  it("prices an item by its median train price, else its category's median, else the overall median (price_known 0)", () => {
    const ds2 = buildDataset({
      items: [recItem("a1", "A"), recItem("a2", "A"), recItem("a3", "A"), recItem("a4", "A"), recItem("b1", "B"), recItem("c1", "C")],
      orders: [
        recOrder("o1", "x", 0, [["a1", 10]]),
        recOrder("o2", "y", 1, [["a1", 30]]),
        recOrder("o3", "z", 2, [["a1", 100]]),
        // a2 twice in one order at 40 and 60: one interaction at the mean price, 50
        recOrder("o4", "x", 3, [["a2", 40], ["a2", 60], ["c1", 400]]),
        recOrder("o5", "y", 4, [["a4", 80]]),
        // not train: a3 sold at 1000, b1 at 2000
        recOrder("o6", "z", 10, [["a3", 1000], ["b1", 2000]]),
      ],
    });
    const train = Int32Array.from({ length: ds2.interactions.length }, (_, i) => i).filter((i) => ds2.interactions.time[i]! < day(10));
    const f = itemFeaturesFrom(ds2, train);
    const row = (id: string): Float64Array => f.numeric[ds2.itemIndex.get(id)!]!;
    // a1: median(10, 30, 100) = 30; a2: one interaction at the mean price 50; a4: 80
    expect(row("a1")[I.log_price]).toBeCloseTo(Math.log1p(30), 12);
    expect(row("a2")[I.log_price]).toBeCloseTo(Math.log1p(50), 12);
    expect(row("a1")[I.price_known]).toBe(1);
    // a3 has no train sale: category A's median of item prices, median(30, 50, 80) = 50
    expect(row("a3")[I.log_price]).toBeCloseTo(Math.log1p(50), 12);
    expect(row("a3")[I.price_known]).toBe(0);
    expect(row("a3")[I.log_sales]).toBe(0);
    // b1: no item of B sold in train: the overall median of item prices, median(30, 50, 80, 400) = 65
    expect(row("b1")[I.log_price]).toBeCloseTo(Math.log1p(65), 12);
    expect(row("b1")[I.price_known]).toBe(0);
    expect(Array.from(f.sales)).toEqual([3, 1, 0, 1, 0, 1]);
  });

  it("fills missing catalogue attributes with the catalogue median", () => {
    const ds3 = buildDataset({
      items: [recItem("a", "A", { weightG: 100, photos: 2 }), recItem("b", "A", { weightG: 300, photos: 4 }), recItem("c", "A", { weightG: 1000, photos: null })],
      orders: [recOrder("o1", "x", 0, ["a"])],
    });
    const f = itemFeaturesFrom(ds3, Int32Array.from([0]));
    expect(f.numeric[2]![I.log_weight_g]).toBeCloseTo(Math.log1p(1000), 12);
    expect(f.numeric[2]![I.photos]).toBe(3);
    expect(f.numeric[0]![I.photos]).toBe(2);
  });
});

describe("encodeUsers history inputs", () => {
  const ds = buildDataset(BASE);
  const split = temporalFullSplit(ds, { cutoff: START + 250 * MS_PER_DAY });
  const users = trainingUserFeatures(ds, split);
  const encoders = fitEncoders(ds, users, itemFeaturesFrom(ds, split.train));

  it("maps recent products to their item-id rows (0 for empty slots and unseen products) and the last category to its row", () => {
    const encoded = encodeUsers(encoders, users, ds);
    expect(encoded.recent).toHaveLength(users.length * encoders.historyItems);
    let withHistory = 0;
    users.forEach((f, r) => {
      const slots = Array.from(encoded.recent.subarray(r * encoders.historyItems, (r + 1) * encoders.historyItems));
      const expected = f.recentItems.map((it) => Math.max(0, encoders.itemIds.indexOf(ds.items[it]!.productId)));
      expect(slots).toEqual([...expected, ...new Array(encoders.historyItems - expected.length).fill(0)]);
      expect(encoders.categories[encoded.lastCategory[r]!]).toBe(f.lastCategory);
      if (f.recentItems.length > 0) withHistory++;
    });
    expect(withHistory).toBeGreaterThan(10);
  });
});

describe("users fitted and encoded a chunk at a time", () => {
  const ds = buildDataset(BASE);
  const split = temporalFullSplit(ds, { cutoff: START + 250 * MS_PER_DAY });
  const rows = trainingUserFeatures(ds, split);
  // more users than one chunk (65,536): the training rows repeated, each copy in another state
  const many: UserFeatures[] = Array.from({ length: 70_000 }, (_, k) => ({ ...rows[k % rows.length]!, state: `S${k % 7}` }));

  it("give the encoders and encodings of all users at once", () => {
    const chunks = { length: many.length, features: (start: number, end: number) => many.slice(start, end) };
    const encoders = fitEncoders(ds, chunks, itemFeaturesFrom(ds, split.train));
    expect(fitEncoders(ds, many, itemFeaturesFrom(ds, split.train))).toEqual(encoders);
    expect(encoders.userScaler).toEqual(fitScaler(many.map((u) => u.numeric), USER_NUMERIC_FEATURES.length));
    expect(encoders.states.slice(1)).toEqual(["S0", "S1", "S2", "S3", "S4", "S5", "S6"]);
    const whole = encodeUsers(encoders, chunks, ds);
    const [head, tail] = [encodeUsers(encoders, many.slice(0, 40_000), ds), encodeUsers(encoders, many.slice(40_000), ds)];
    expect(whole.length).toBe(many.length);
    for (const key of ["state", "category", "lastCategory", "recent", "numeric"] as const) expect(Array.from(whole[key])).toEqual([...head[key], ...tail[key]]);
    expect(encodeUsers(encoders, many, ds)).toEqual(whole);
  });

  it("trainingUserFeatureChunks gives trainingUserFeatures' rows, chunk by chunk", () => {
    const chunks = trainingUserFeatureChunks(ds, split);
    expect(chunks.length).toBe(rows.length);
    expect([...chunks.features(0, 5), ...chunks.features(5, rows.length)]).toEqual(rows);
  });
});
