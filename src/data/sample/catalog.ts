import {
  CATEGORY_MEDIAN_WEIGHT_G,
  CATEGORY_PRICE_MEDIAN,
  DEFAULT_PRICE_MEDIAN,
  PHOTO_COUNTS,
  PRICE_SPREAD,
  PRODUCT_NULLS,
  PRODUCT_QUANTILES,
  SELLER_CITY_COUNTS,
  SELLER_OTHER_CITY_COUNTS,
  SELLER_SECOND_CATEGORY_SHARE,
  SELLER_SIZE_LOG_SD,
  SELLER_STATE_COUNTS,
  WEIGHT_VOLUME_CORRELATION,
  ZIP_CONCENTRATION,
} from "./calibration.js";
import { CATEGORY_TRANSLATIONS } from "./categories.js";
import { ZipPicker } from "./customers.js";
import { formatZip, CITIES, type City } from "./geography.js";
import { CsvRows, int, renderCsv, renderTranslationCsv, str } from "./csv-writer.js";
import type { Catalog, Product, Seller } from "./model.js";
import {
  IdFactory,
  Random,
  WeightedChoice,
  WeightedTable,
  normalCdf,
  normalQuantile,
  quantileInterpolate,
  quantileRank,
} from "./rng.js";

/**
 * The catalogue: products (category, name/description lengths, photos, weight, dimensions, list price)
 * and the sellers that offer them. The number of products per category follows the demand the orders put
 * on it, so every product is sold at least once and every seller offers at least one product, as in the
 * real files (whose products and sellers are exactly those appearing in order items).
 */

const photoChoice = WeightedChoice.fromPairs(PHOTO_COUNTS);
const GLOBAL_MEDIAN_WEIGHT = 700;
const MAX_WEIGHT_G = 40_425;
const WITHIN_CATEGORY_WEIGHT_SPREAD = 0.9;
const Q = PRODUCT_QUANTILES;

/** Psychological pricing: most list prices end in .90 or .99, some are whole. */
function listPriceCents(rng: Random, price: number): number {
  const r = rng.next();
  const whole = Math.floor(price);
  let cents: number;
  if (price < 5) cents = Math.round(price * 100);
  else if (r < 0.45) cents = whole * 100 + 90;
  else if (r < 0.7) cents = whole * 100 + 99;
  else if (r < 0.8) cents = Math.round(price) * 100;
  else cents = Math.round(price * 100);
  return Math.max(cents, 85);
}

function dimension(rng: Random, quantiles: readonly number[], z: number): number {
  const rho = WEIGHT_VOLUME_CORRELATION;
  const zd = rho * z + Math.sqrt(1 - rho * rho) * rng.normal();
  return Math.round(quantileInterpolate(quantiles, normalCdf(zd)));
}

function makeProduct(rng: Random, id: string, category: string): Product {
  const named = category !== "";
  const nameLength = Math.round(quantileInterpolate(Q.nameLength, rng.next()));
  const descriptionLength = Math.round(quantileInterpolate(Q.descriptionLength, rng.next()));
  const photos = photoChoice.pick(rng);
  const categoryWeight = CATEGORY_MEDIAN_WEIGHT_G[category] ?? GLOBAL_MEDIAN_WEIGHT;
  const base = Math.max(quantileInterpolate(Q.weightG, rng.next()), 2);
  // The category's median, with a within-category spread a little narrower than the global one (the
  // spread between category medians makes up the rest).
  let weight = Math.round(Math.min(categoryWeight * Math.pow(base / GLOBAL_MEDIAN_WEIGHT, WITHIN_CATEGORY_WEIGHT_SPREAD), MAX_WEIGHT_G));
  const z = normalQuantile(quantileRank(Q.weightG, weight));
  const lengthCm = dimension(rng, Q.lengthCm, z);
  const heightCm = dimension(rng, Q.heightCm, z);
  const widthCm = dimension(rng, Q.widthCm, z);
  const noDimensions = rng.bernoulli(PRODUCT_NULLS.noDimensions);
  if (rng.bernoulli(PRODUCT_NULLS.zeroWeight)) weight = 0;
  const priceMedian = CATEGORY_PRICE_MEDIAN[category] ?? DEFAULT_PRICE_MEDIAN;
  const logPrice =
    Math.log(priceMedian) +
    PRICE_SPREAD.weightElasticity * (Math.log(Math.max(weight, 1)) - Math.log(categoryWeight)) +
    PRICE_SPREAD.logSd * rng.normal();
  const priceCents = listPriceCents(rng, Math.exp(logPrice));
  return {
    id,
    category,
    nameLength: named ? nameLength : null,
    descriptionLength: named ? descriptionLength : null,
    photos: named ? photos : null,
    weightG: noDimensions ? null : weight,
    lengthCm: noDimensions ? null : lengthCm,
    heightCm: noDimensions ? null : heightCm,
    widthCm: noDimensions ? null : widthCm,
    priceCents,
    seller: -1,
  };
}

/**
 * Where sellers are: measured seller counts per state and city; the sellers of unlisted towns are spread
 * evenly over the state's listed cities.
 */
function sellerCityChoice(): WeightedChoice<City> {
  const weights = CITIES.map((c) => SELLER_CITY_COUNTS[c.state]?.[c.name] ?? 0);
  for (const [state, other] of Object.entries(SELLER_OTHER_CITY_COUNTS)) {
    const idx = CITIES.map((c, i) => [c, i] as const).filter(([c]) => c.state === state);
    for (const [, i] of idx) weights[i] = weights[i]! + other / idx.length;
  }
  // States with sellers but no listed city count (none today) fall back to their cities' sizes.
  for (const state of Object.keys(SELLER_STATE_COUNTS)) {
    const idx = CITIES.map((c, i) => [c, i] as const).filter(([c]) => c.state === state);
    if (idx.every(([, i]) => weights[i] === 0)) for (const [c, i] of idx) weights[i] = c.weight;
  }
  // Scale each state's cities to the state's seller count.
  for (const [state, count] of Object.entries(SELLER_STATE_COUNTS)) {
    const idx = CITIES.map((_, i) => i).filter((i) => CITIES[i]!.state === state);
    const sum = idx.reduce((s, i) => s + weights[i]!, 0);
    for (const i of idx) weights[i] = (weights[i]! / sum) * count;
  }
  for (let i = 0; i < CITIES.length; i++) if (SELLER_STATE_COUNTS[CITIES[i]!.state] === undefined) weights[i] = 0;
  return new WeightedChoice(CITIES, weights);
}

/**
 * Builds the catalogue for the given demand: distinct order lines per category. `productTarget` and
 * `sellerTarget` are the scaled real counts.
 */
export function buildCatalog(
  seed: string,
  demand: ReadonlyMap<string, number>,
  productTarget: number,
  sellerTarget: number,
): Catalog {
  const rng = new Random(seed, "catalog/products");
  const productIds = new IdFactory(new Random(seed, "ids/product"));
  const totalLines = [...demand.values()].reduce((a, b) => a + b, 0);
  const ratio = totalLines > 0 ? Math.min(productTarget / totalLines, 1) : 0;

  const products: Product[] = [];
  const byCategory = new Map<string, number[]>();
  for (const [category, lines] of [...demand].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (lines <= 0) continue;
    const count = Math.min(Math.max(Math.round(lines * ratio), 1), lines);
    const indices: number[] = [];
    for (let k = 0; k < count; k++) {
      indices.push(products.length);
      products.push(makeProduct(rng, productIds.next(), category));
    }
    byCategory.set(category, indices);
  }

  const sellers = buildSellers(seed, products, byCategory, Math.min(sellerTarget, products.length));
  return { products, sellers, byCategory };
}

function buildSellers(seed: string, products: Product[], byCategory: Map<string, number[]>, count: number): Seller[] {
  const rng = new Random(seed, "catalog/sellers");
  const ids = new IdFactory(new Random(seed, "ids/seller"));
  if (count <= 0) return [];
  const categories = [...byCategory.keys()];
  const categoryChoice = new WeightedChoice(
    categories,
    categories.map((c) => byCategory.get(c)!.length),
  );
  const cityChoice = sellerCityChoice();
  const zips = new ZipPicker(new Random(seed, "catalog/zip-popularity"), ZIP_CONCENTRATION.sellers);
  const sellers: Seller[] = [];
  for (let s = 0; s < count; s++) {
    const city = cityChoice.pick(rng);
    const zip = zips.pick(rng, city);
    const main = categoryChoice.pick(rng);
    const second = rng.bernoulli(SELLER_SECOND_CATEGORY_SHARE) ? categoryChoice.pick(rng) : main;
    const size = rng.lognormal(1, SELLER_SIZE_LOG_SD);
    sellers.push({ id: ids.next(), city, zip, categories: second === main ? [main] : [main, second], size });
  }

  // Every seller offers at least one product, from its main category when one is left.
  const unassigned = new Map<string, number[]>();
  for (const [c, list] of byCategory) unassigned.set(c, rng.shuffle([...list]));
  const leftovers: number[] = rng.shuffle(products.map((_, i) => i));
  let leftoverCursor = 0;
  sellers.forEach((seller, s) => {
    const own = unassigned.get(seller.categories[0]!)!;
    let p = own.pop();
    while (p !== undefined && products[p]!.seller !== -1) p = own.pop();
    while (p === undefined) {
      const next = leftovers[leftoverCursor++];
      if (next === undefined) return;
      if (products[next]!.seller === -1) p = next;
    }
    products[p]!.seller = s;
  });

  // The rest go to sellers of their category, bigger sellers more often.
  const pools = new Map<string, { members: number[]; table: WeightedTable }>();
  const allSellers = { members: sellers.map((_, s) => s), table: new WeightedTable(sellers.map((x) => x.size)) };
  for (const c of categories) {
    const members = sellers.flatMap((x, s) => (x.categories.includes(c) ? [s] : []));
    if (members.length > 0) pools.set(c, { members, table: new WeightedTable(members.map((s) => sellers[s]!.size)) });
  }
  for (const product of products) {
    if (product.seller !== -1) continue;
    const pool = pools.get(product.category) ?? allSellers;
    product.seller = pool.members[pool.table.pick(rng)]!;
  }
  return sellers;
}

/** olist_products_dataset.csv, rows in `rowOrder`. */
export function renderProducts(products: readonly Product[], rowOrder: Int32Array): string {
  const rows = new CsvRows();
  for (let r = 0; r < rowOrder.length; r++) {
    const p = products[rowOrder[r]!]!;
    rows.push(
      `${str(p.id)},${str(p.category === "" ? null : p.category)},${int(p.nameLength)},${int(p.descriptionLength)},` +
      `${int(p.photos)},${int(p.weightG)},${int(p.lengthCm)},${int(p.heightCm)},${int(p.widthCm)}`
    );
  }
  return renderCsv("products", rows);
}

/** olist_sellers_dataset.csv, rows in `rowOrder`. */
export function renderSellers(sellers: readonly Seller[], rowOrder: Int32Array): string {
  const rows = new CsvRows();
  for (let r = 0; r < rowOrder.length; r++) {
    const s = sellers[rowOrder[r]!]!;
    rows.push(`${str(s.id)},${str(formatZip(s.zip))},${str(s.city.name)},${str(s.city.state)}`);
  }
  return renderCsv("sellers", rows);
}

/** product_category_name_translation.csv (all 71 pairs, Kaggle's order and byte format). */
export function renderCategoryTranslation(): string {
  return renderTranslationCsv(CATEGORY_TRANSLATIONS);
}
