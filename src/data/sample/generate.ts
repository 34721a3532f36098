import { OLIST_TABLES, type TableName } from "../olist-schema.js";
import { REAL } from "./calibration.js";
import { samplePurchaseTimes } from "./calendar.js";
import { buildCatalog, renderCategoryTranslation, renderProducts, renderSellers } from "./catalog.js";
import { buildPopulation, renderCustomers } from "./customers.js";
import type { City } from "./geography.js";
import { renderGeolocation } from "./geolocation.js";
import { assignProducts, planBaskets, priceLines, renderItems } from "./items.js";
import type { Order } from "./model.js";
import { assignStatuses, renderOrders, scheduleOrders } from "./orders.js";
import { assignPaymentPlans, buildPayments, renderPayments } from "./payments.js";
import { buildReviews, renderReviews } from "./reviews.js";
import { IdFactory, Random } from "./rng.js";

export interface SampleOptions {
  /** Exact number of rows of the orders file (and of the customers file). */
  orders: number;
  seed: string;
}

/** Upper bound on `orders`, to fail clearly instead of running out of memory. */
export const MAX_SAMPLE_ORDERS = 5_000_000;

export function validateSampleOptions(options: SampleOptions): void {
  const { orders, seed } = (options ?? {}) as Partial<SampleOptions>;
  if (typeof orders !== "number" || !Number.isInteger(orders) || orders < 1) {
    throw new Error(`sample options: 'orders' must be an integer >= 1, got ${JSON.stringify(orders) ?? String(orders)}`);
  }
  if (orders > MAX_SAMPLE_ORDERS) {
    throw new Error(`sample options: 'orders' must be at most ${MAX_SAMPLE_ORDERS.toLocaleString("en-US")}, got ${orders}`);
  }
  if (typeof seed !== "string") {
    throw new Error(`sample options: 'seed' must be a string, got ${typeof seed}`);
  }
}

function fileOf(table: TableName): string {
  return OLIST_TABLES.find((t) => t.name === table)!.file;
}

/**
 * The nine Olist files for `options`: file name -> full file text. Same options, same bytes.
 * Steps: purchase times -> people -> statuses and payment plans -> baskets -> catalogue sized by demand ->
 * products per line -> prices and freight -> timeline -> payments -> reviews -> geolocation.
 */
export function generateOlistSample(options: SampleOptions): Map<string, string> {
  validateSampleOptions(options);
  const { orders: n, seed } = options;
  const scaled = (real: number): number => Math.max(1, Math.round((n * real) / REAL.orders));

  const times = samplePurchaseTimes(new Random(seed, "calendar"), n);
  const { people, personOfOrder } = buildPopulation(seed, times);
  const orderIds = new IdFactory(new Random(seed, "ids/order"));
  const customerIds = new IdFactory(new Random(seed, "ids/customer"));
  const orders: Order[] = new Array(n);
  for (let i = 0; i < n; i++) {
    orders[i] = {
      id: orderIds.next(),
      customerId: customerIds.next(),
      person: personOfOrder[i]!,
      purchase: times[i]!,
      status: "delivered",
      plan: "credit_card",
      lines: [],
      approved: null,
      carrier: null,
      delivered: null,
      estimated: 0,
      shippingLimit: 0,
    };
  }
  assignStatuses(seed, orders);
  assignPaymentPlans(seed, orders);
  const demand = planBaskets(seed, orders, people);
  const catalog = buildCatalog(seed, demand, scaled(REAL.products), scaled(REAL.sellers));
  assignProducts(seed, orders, people, catalog);
  priceLines(seed, orders, people, catalog);
  scheduleOrders(seed, orders, people, catalog);
  const payments = buildPayments(seed, orders);
  const reviews = buildReviews(seed, orders);

  const prefixes = new Map<number, City>();
  for (const p of people) prefixes.set(p.zip, p.city);
  for (const s of catalog.sellers) prefixes.set(s.zip, s.city);

  // Row order: the real files are in no particular order (except order_items, sorted by order_id).
  const rowRng = new Random(seed, "row-order");
  const files = new Map<string, string>();
  files.set(fileOf("customers"), renderCustomers(orders, people, rowRng.permutation(n)));
  files.set(fileOf("geolocation"), renderGeolocation(seed, prefixes));
  files.set(fileOf("order_items"), renderItems(orders, catalog));
  files.set(fileOf("order_payments"), renderPayments(payments, rowRng.permutation(payments.length)));
  files.set(fileOf("order_reviews"), renderReviews(reviews, rowRng.permutation(reviews.length)));
  files.set(fileOf("orders"), renderOrders(orders, rowRng.permutation(n)));
  files.set(fileOf("products"), renderProducts(catalog.products, rowRng.permutation(catalog.products.length)));
  files.set(fileOf("sellers"), renderSellers(catalog.sellers, rowRng.permutation(catalog.sellers.length)));
  files.set(fileOf("category_translation"), renderCategoryTranslation());
  return files;
}
