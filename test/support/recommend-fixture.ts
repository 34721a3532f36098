/**
 * Recommender test data: a seeded synthetic generator with learnable structure and small
 * hand-written helpers.
 *
 * Synthetic structure: every user has a preferred category and buys from it with probability
 * `preferenceShare` (default 0.8), otherwise from a uniformly random category; within a category the
 * item is drawn Zipf-like (the r-th item of the category with weight 1 / r^1.1). A share
 * `repeatShare` of the users have 2-4 orders at strictly increasing times, the others one. Each item
 * has one log-normal price; every user has one home state (all their orders carry it).
 */
import seedrandom from "seedrandom";
import { MS_PER_DAY } from "../../src/io/time.js";
import type { RecItem, RecOrder, RecommendInput } from "../../src/recommend/types.js";

export const STATES = ["SP", "RJ", "MG", "RS", "PR", "BA"] as const;
export const PAYMENT_TYPES = ["credit_card", "boleto", "voucher", "debit_card"] as const;

export interface SyntheticOptions {
  users: number;
  items: number;
  categories: number;
  seed: string;
  /** Share of users with 2-4 orders (default 0.3). */
  repeatShare?: number;
  /** Share of purchases from the user's preferred category (default 0.8). */
  preferenceShare?: number;
  /** First day of the data, ISO date (default 2017-01-01). */
  start?: string;
  /** Length of the period in days (default 365). */
  days?: number;
}

/** Product id of item i, user id of user u, category name of category c: zero-padded so sort order = index order. */
export const productId = (i: number): string => `p${String(i).padStart(5, "0")}`;
export const userId = (u: number): string => `u${String(u).padStart(5, "0")}`;
export const categoryName = (c: number): string => `cat_${String(c).padStart(3, "0")}`;

function normal(rng: () => number): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function pick<T>(rng: () => number, values: readonly T[]): T {
  return values[Math.floor(rng() * values.length)]!;
}

/** Index drawn with probability proportional to `cumulative` increments (cumulative is increasing, last = total). */
function drawCumulative(rng: () => number, cumulative: readonly number[]): number {
  const x = rng() * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface SyntheticTruth {
  /** Preferred category index of each user (user u has id userId(u)). */
  preferred: number[];
  /** Category index of each item (item i has id productId(i)). */
  itemCategory: number[];
  /** Price of each item. */
  price: number[];
  /** Home state of each user. */
  state: string[];
}

export function syntheticRecommendInput(options: SyntheticOptions): RecommendInput {
  return syntheticWithTruth(options).input;
}

export function syntheticWithTruth(options: SyntheticOptions): { input: RecommendInput; truth: SyntheticTruth } {
  const { users, items, categories, seed } = options;
  if (categories < 1 || items < categories) throw new Error("syntheticRecommendInput: need 1 <= categories <= items");
  const repeatShare = options.repeatShare ?? 0.3;
  const preferenceShare = options.preferenceShare ?? 0.8;
  const start = Date.parse(`${options.start ?? "2017-01-01"}T00:00:00Z`);
  const periodMs = (options.days ?? 365) * MS_PER_DAY;
  const rng = seedrandom(seed);

  // Catalogue: item i in category i % categories; the category's members in index order are its Zipf ranks.
  const itemCategory = Array.from({ length: items }, (_, i) => i % categories);
  const members: number[][] = Array.from({ length: categories }, () => []);
  itemCategory.forEach((c, i) => members[c]!.push(i));
  const cumulative = members.map((m) => {
    let total = 0;
    return m.map((_, r) => (total += 1 / (r + 1) ** 1.1));
  });
  const price = Array.from({ length: items }, () => Math.round(Math.exp(4 + 0.8 * normal(rng)) * 100) / 100);
  const catalogue: RecItem[] = Array.from({ length: items }, (_, i) => ({
    productId: productId(i),
    category: categoryName(itemCategory[i]!),
    weightG: rng() < 0.05 ? null : Math.round(Math.exp(6.5 + normal(rng))),
    volumeCm3: rng() < 0.05 ? null : Math.round(Math.exp(8 + normal(rng))),
    photos: rng() < 0.05 ? null : 1 + Math.floor(rng() * 6),
    nameLength: rng() < 0.05 ? null : 20 + Math.floor(rng() * 40),
    descriptionLength: rng() < 0.05 ? null : 100 + Math.floor(rng() * 2000),
  }));

  const preferred: number[] = [];
  const state: string[] = [];
  const orders: RecOrder[] = [];
  for (let u = 0; u < users; u++) {
    const pref = Math.floor(rng() * categories);
    const home = pick(rng, STATES);
    preferred.push(pref);
    state.push(home);
    const nOrders = rng() < repeatShare ? 2 + Math.floor(rng() * 3) : 1;
    const times = Array.from({ length: nOrders }, () => start + Math.floor(rng() * periodMs)).sort((a, b) => a - b);
    // strictly increasing (at least one minute apart)
    for (let k = 1; k < times.length; k++) if (times[k]! <= times[k - 1]!) times[k] = times[k - 1]! + 60_000;
    times.forEach((time, k) => {
      const r = rng();
      const nItems = r < 0.8 ? 1 : r < 0.95 ? 2 : 3;
      const lines: { productId: string; price: number }[] = [];
      for (let j = 0; j < nItems; j++) {
        const category = rng() < preferenceShare ? pref : Math.floor(rng() * categories);
        const item = members[category]![drawCumulative(rng, cumulative[category]!)]!;
        lines.push({ productId: productId(item), price: price[item]! });
        // now and then the same product twice in one order
        if (rng() < 0.03) lines.push({ productId: productId(item), price: price[item]! });
      }
      const paymentType = pick(rng, PAYMENT_TYPES);
      const freight = Math.round(rng() * 3000) / 100;
      orders.push({
        orderId: `o${String(u).padStart(5, "0")}_${k}`,
        userId: userId(u),
        time,
        state: home,
        paymentValue: Math.round((lines.reduce((s, l) => s + l.price, 0) + freight) * 100) / 100,
        paymentType,
        installments: paymentType === "credit_card" ? 1 + Math.floor(rng() * 10) : 1,
        reviewScore: rng() < 0.1 ? null : 1 + Math.floor(rng() * 5),
        items: lines,
      });
    });
  }
  return { input: { orders, items: catalogue }, truth: { preferred, itemCategory, price, state } };
}

/* ---------------------------------------------------------------- hand-written helpers */

export const DAY0 = Date.UTC(2018, 0, 1);
/** DAY0 + d days (fractions allowed). */
export const day = (d: number): number => DAY0 + d * MS_PER_DAY;

/** A catalogue entry with no optional attributes. */
export function recItem(productId: string, category: string, attributes: Partial<Omit<RecItem, "productId" | "category">> = {}): RecItem {
  return { productId, category, weightG: null, volumeCm3: null, photos: null, nameLength: null, descriptionLength: null, ...attributes };
}

/** One order on day `d` (fractions allowed); products as ids (price 10 each) or [id, price] pairs. */
export function recOrder(
  orderId: string,
  userId: string,
  d: number,
  products: (string | [string, number])[],
  extra: Partial<Omit<RecOrder, "orderId" | "userId" | "time" | "items">> = {},
): RecOrder {
  const items = products.map((p) => (typeof p === "string" ? { productId: p, price: 10 } : { productId: p[0], price: p[1] }));
  return {
    orderId,
    userId,
    time: day(d),
    state: "SP",
    paymentValue: items.reduce((s, i) => s + i.price, 0),
    paymentType: "credit_card",
    installments: 1,
    reviewScore: 5,
    items,
    ...extra,
  };
}

/**
 * A tiny hand-made input: categories books, garden, toys; "a-toy" sorts before "b-book" so an order
 * holding both lists the toy first.
 */
export function tinyInput(orders: RecOrder[]): RecommendInput {
  return {
    items: [
      recItem("a-toy", "toys"),
      recItem("b-book", "books"),
      recItem("c-book", "books"),
      recItem("d-garden", "garden"),
      recItem("e-toy", "toys"),
    ],
    orders,
  };
}
