import {
  BASKET,
  CATEGORY_MEDIAN_WEIGHT_G,
  CATEGORY_PRICE_MEDIAN,
  DEFAULT_PRICE_MEDIAN,
  CATEGORY_PRODUCT_COUNTS,
  FREIGHT,
  ITEMS_PER_ORDER,
  NO_ITEMS_PROBABILITY,
  PRICE_STABILITY,
  PRODUCT_ZIPF_EXPONENT,
  SAME_CATEGORY_PROBABILITY,
  SPEND_CHOICE,
} from "./calibration.js";
import { complementsOf } from "./categories.js";
import { CsvRows, datetime, money, renderCsv, str } from "./csv-writer.js";
import { distanceKm } from "./geography.js";
import type { Catalog, Line, Order, Person, Product } from "./model.js";
import { Random, WeightedChoice, zipfTable } from "./rng.js";

/**
 * Order items: how many lines an order has, which categories and products they hold, and their price
 * and freight. A repeat buyer's next order stays in the category of the previous one with
 * SAME_CATEGORY_PROBABILITY; multi-item orders repeat a product or add related ones.
 */

const categoryNames = Object.keys(CATEGORY_PRODUCT_COUNTS);
const categoryChoice = new WeightedChoice(
  categoryNames,
  categoryNames.map((c) => CATEGORY_PRODUCT_COUNTS[c]!),
);
const itemCountChoice = WeightedChoice.fromPairs(ITEMS_PER_ORDER);

const complementChoices = new Map<string, WeightedChoice<string> | null>();
function complementChoice(category: string): WeightedChoice<string> | null {
  let choice = complementChoices.get(category);
  if (choice === undefined) {
    const options = complementsOf(category).filter((c) => (CATEGORY_PRODUCT_COUNTS[c] ?? 0) > 0);
    choice =
      options.length === 0
        ? null
        : new WeightedChoice(
            options,
            options.map((c) => CATEGORY_PRODUCT_COUNTS[c]!),
          );
    complementChoices.set(category, choice);
  }
  return choice;
}

/** A category for a new need: of two draws, spenders (savers) lean to the one with pricier (cheaper) products. */
function freshCategory(rng: Random, spend: number): string {
  const a = categoryChoice.pick(rng);
  const b = categoryChoice.pick(rng);
  if (!rng.bernoulli(Math.min(SPEND_CHOICE.maxCategoryShare, SPEND_CHOICE.categoryPerUnit * Math.abs(spend)))) return a;
  const pa = CATEGORY_PRICE_MEDIAN[a] ?? DEFAULT_PRICE_MEDIAN;
  const pb = CATEGORY_PRICE_MEDIAN[b] ?? DEFAULT_PRICE_MEDIAN;
  return pb > pa === spend > 0 ? b : a;
}

function newLine(category: string, repeatsPrevious: boolean): Line {
  return { category, repeatsPrevious, product: -1, priceCents: 0, freightCents: 0 };
}

/**
 * Gives every order its lines (category and structure; products come later). Orders must be in purchase
 * order. Returns the demand: distinct (non-repeat) lines per category.
 */
export function planBaskets(seed: string, orders: readonly Order[], people: readonly Person[]): Map<string, number> {
  const rng = new Random(seed, "items/baskets");
  const lastCategory: (string | undefined)[] = new Array(people.length);
  const demand = new Map<string, number>();
  for (const o of orders) {
    const noItems = NO_ITEMS_PROBABILITY[o.status] ?? 0;
    const drawNone = rng.next();
    const k = itemCountChoice.pick(rng);
    const previous = lastCategory[o.person];
    const sameAsBefore = rng.bernoulli(SAME_CATEGORY_PROBABILITY);
    const fresh = freshCategory(rng, people[o.person]!.spend);
    if (drawNone < noItems) {
      o.lines = [];
      continue;
    }
    const first = previous !== undefined && sameAsBefore ? previous : fresh;
    const lines = [newLine(first, false)];
    const singleProduct = rng.bernoulli(BASKET.singleProductShare);
    for (let j = 1; j < k; j++) {
      if (singleProduct || rng.bernoulli(BASKET.repeatLine)) {
        lines.push(newLine(lines[j - 1]!.category, true));
        continue;
      }
      const complement = complementChoice(first);
      const category = rng.bernoulli(BASKET.sameCategory) || complement === null ? first : complement.pick(rng);
      lines.push(newLine(category, false));
    }
    for (const line of lines) if (!line.repeatsPrevious) demand.set(line.category, (demand.get(line.category) ?? 0) + 1);
    o.lines = lines;
    lastCategory[o.person] = first;
  }
  return demand;
}

/**
 * Chooses the product of every line. Within a category, each product gets one first sale at a random
 * line; the other lines follow a Zipf law over the category's products. A person's spend level biases the
 * choice among a few Zipf candidates towards the pricier (or cheaper) one (SPEND_CHOICE).
 */
export function assignProducts(seed: string, orders: readonly Order[], people: readonly Person[], catalog: Catalog): void {
  const rng = new Random(seed, "items/products");
  const linesByCategory = new Map<string, { order: Order; line: Line }[]>();
  for (const o of orders) {
    for (const line of o.lines) {
      if (line.repeatsPrevious) continue;
      let list = linesByCategory.get(line.category);
      if (!list) linesByCategory.set(line.category, (list = []));
      list.push({ order: o, line });
    }
  }
  const categories = [...linesByCategory.keys()].sort();
  for (const category of categories) {
    const refs = linesByCategory.get(category)!;
    const productsOfCategory = catalog.byCategory.get(category);
    if (!productsOfCategory || productsOfCategory.length === 0) throw new Error(`internal: no products for '${category}'`);
    const m = productsOfCategory.length;
    const order = rng.permutation(refs.length);
    const zipf = zipfTable(m, PRODUCT_ZIPF_EXPONENT);
    for (let t = 0; t < refs.length; t++) {
      const ref = refs[order[t]!]!;
      if (t < m) {
        ref.line.product = productsOfCategory[t]!;
        continue;
      }
      // Draw a few Zipf candidates; a spender (or saver) takes the priciest (cheapest) of them.
      const spend = people[ref.order.person]!.spend;
      let chosen = productsOfCategory[zipf.pick(rng)]!;
      const useSpend = rng.bernoulli(Math.min(SPEND_CHOICE.maxShare, SPEND_CHOICE.perUnit * Math.abs(spend)));
      for (let k = 1; k < SPEND_CHOICE.candidates; k++) {
        const other = productsOfCategory[zipf.pick(rng)]!;
        const pricier = catalog.products[other]!.priceCents > catalog.products[chosen]!.priceCents;
        if (useSpend && pricier === spend > 0) chosen = other;
      }
      ref.line.product = chosen;
    }
  }
  for (const o of orders) {
    for (let j = 1; j < o.lines.length; j++) {
      const line = o.lines[j]!;
      if (line.repeatsPrevious) line.product = o.lines[j - 1]!.product;
    }
  }
}

/** Billable weight in kg: the larger of the real weight and the volumetric weight (cm^3 / 6000). */
function billableKg(p: Product): number {
  const weight = p.weightG ?? CATEGORY_MEDIAN_WEIGHT_G[p.category] ?? 700;
  const volumetric = p.lengthCm !== null && p.heightCm !== null && p.widthCm !== null ? (p.lengthCm * p.heightCm * p.widthCm) / 6 : 0;
  return Math.max(weight, volumetric) / 1000;
}

/** Price and freight of every line. */
export function priceLines(seed: string, orders: readonly Order[], people: readonly Person[], catalog: Catalog): void {
  const rng = new Random(seed, "items/prices");
  for (const o of orders) {
    const customerCity = people[o.person]!.city;
    for (let j = 0; j < o.lines.length; j++) {
      const line = o.lines[j]!;
      if (line.repeatsPrevious) {
        const prev = o.lines[j - 1]!;
        line.priceCents = prev.priceCents;
        line.freightCents = prev.freightCents;
        continue;
      }
      const product = catalog.products[line.product]!;
      const seller = catalog.sellers[product.seller]!;
      const listPrice = product.priceCents;
      const stable = rng.bernoulli(PRICE_STABILITY);
      const factor = rng.uniform(0.9, 1.1);
      line.priceCents = stable ? listPrice : Math.max(Math.round(listPrice * factor), 85);
      const km = distanceKm(seller.city, customerCity);
      const kg = billableKg(product);
      const base = FREIGHT.base + FREIGHT.perKm * km + kg * (FREIGHT.perKg + FREIGHT.perKgPerKm * km);
      const noise = rng.lognormal(1, FREIGHT.logSd);
      const free = rng.bernoulli(FREIGHT.freeShare);
      line.freightCents = free ? 0 : Math.round(base * noise * 100);
    }
  }
}

/** Sum of price + freight over an order's lines, in cents. */
export function orderTotalCents(o: Order): number {
  let total = 0;
  for (const line of o.lines) total += line.priceCents + line.freightCents;
  return total;
}

/** olist_order_items_dataset.csv: rows sorted by order_id then order_item_id, as in the real file. */
export function renderItems(orders: readonly Order[], catalog: Catalog): string {
  const withItems = orders.filter((o) => o.lines.length > 0);
  withItems.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const productCells = catalog.products.map((p) => str(p.id));
  const sellerCells = catalog.products.map((p) => str(catalog.sellers[p.seller]!.id));
  const rows = new CsvRows();
  for (const o of withItems) {
    const prefix = `${str(o.id)},`;
    const suffix = `,${datetime(o.shippingLimit)},`;
    for (let j = 0; j < o.lines.length; j++) {
      const line = o.lines[j]!;
      rows.push(
        `${prefix}${j + 1},${productCells[line.product]},${sellerCells[line.product]}${suffix}${money(line.priceCents)},${money(line.freightCents)}`,
      );
    }
  }
  return renderCsv("order_items", rows);
}
