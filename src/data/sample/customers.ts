import {
  CUSTOMER_STATE_COUNTS,
  REPEAT_GAP,
  REPEAT_ORDER_COUNTS,
  REPEAT_PERSON_SHARE,
  SPEND,
  ZIP_CONCENTRATION,
} from "./calibration.js";
import { lowerBound } from "../../stats/sorted-search.js";
import { DAY } from "./calendar.js";
import { CsvRows, renderCsv, str } from "./csv-writer.js";
import { CITIES, citiesOf, formatZip, stateInfo, zipAt, zipRangeSize, type City } from "./geography.js";
import type { Order, Person } from "./model.js";
import { IdFactory, Random, WeightedChoice } from "./rng.js";

/**
 * People (customer_unique_id) and which orders each one places. Most people buy once; ~3% come back
 * (2 orders mostly, a few up to 17), after gaps with a median of ~30 days. The orders file's
 * customer_id is one per order (customers file: one row per order), as in Olist.
 */

export interface Population {
  readonly people: Person[];
  /** Person index of each order, orders in purchase-time order. */
  readonly personOfOrder: Int32Array;
}

/** Customer weight of every city: known counts as they are, other cities rescaled to fill their state. */
function cityWeights(): Map<City, number> {
  const weights = new Map<City, number>();
  for (const [state, stateTotal] of Object.entries(CUSTOMER_STATE_COUNTS)) {
    const cities = citiesOf(state);
    const known = cities.filter((c) => c.known).reduce((s, c) => s + c.weight, 0);
    const other = cities.filter((c) => !c.known).reduce((s, c) => s + c.weight, 0);
    const scale = other > 0 ? Math.max(stateTotal - known, 0.05 * stateTotal) / other : 0;
    for (const c of cities) weights.set(c, c.known ? c.weight : c.weight * scale);
  }
  return weights;
}

let cachedCityChoice: WeightedChoice<City> | undefined;

/** Where customers live: cities weighted by the real customers-by-state figures. */
export function customerCityChoice(): WeightedChoice<City> {
  if (!cachedCityChoice) {
    const weights = cityWeights();
    cachedCityChoice = new WeightedChoice(
      CITIES,
      CITIES.map((c) => weights.get(c) ?? 0),
    );
  }
  return cachedCityChoice;
}

/**
 * Picks zip prefixes inside a city. Addresses cluster: each city's prefixes get a random popularity order
 * and a draw takes position floor(size * u^concentration), so a sample holds about as many distinct
 * prefixes per customer (or seller) as the real files.
 */
export class ZipPicker {
  private readonly popularity = new Map<City, Int32Array>();
  constructor(
    private readonly orderRng: Random,
    private readonly concentration: number,
  ) {}

  pick(rng: Random, city: City): number {
    let order = this.popularity.get(city);
    if (!order) {
      order = this.orderRng.permutation(zipRangeSize(city));
      this.popularity.set(city, order);
    }
    const k = Math.floor(order.length * Math.pow(rng.next(), this.concentration));
    return zipAt(city, order[k]!);
  }
}

const repeatCounts = WeightedChoice.fromPairs(REPEAT_ORDER_COUNTS);

/** How many orders each person places; the counts sum to `orders`. */
function orderCounts(rng: Random, orders: number): number[] {
  const counts: number[] = [];
  let remaining = orders;
  while (remaining > 0) {
    const k = rng.bernoulli(REPEAT_PERSON_SHARE) ? repeatCounts.pick(rng) : 1;
    const take = Math.min(k, remaining);
    counts.push(take);
    remaining -= take;
  }
  return counts;
}

function repeatGapDays(rng: Random): number {
  if (rng.bernoulli(REPEAT_GAP.sameDayShare)) return rng.uniform(0.01, REPEAT_GAP.sameDayMaxDays);
  return Math.min(rng.lognormal(REPEAT_GAP.medianDays, REPEAT_GAP.logSd), REPEAT_GAP.maxDays);
}

/**
 * Assigns orders (purchase times, sorted) to people. Repeat buyers are placed first: a first order at a
 * random slot, then each next order at the free slot nearest after "previous + gap". Orders that would fall
 * after the last purchase day go to new one-order people. Everyone else takes one free slot.
 */
export function buildPopulation(seed: string, times: Float64Array): Population {
  const n = times.length;
  const rng = new Random(seed, "people");
  const ids = new IdFactory(new Random(seed, "ids/person"));
  const cityChoice = customerCityChoice();
  const zips = new ZipPicker(new Random(seed, "people/zip-popularity"), ZIP_CONCENTRATION.customers);
  const counts = orderCounts(rng, n);

  const personOfOrder = new Int32Array(n).fill(-1);
  const nextFree = (from: number): number => {
    for (let i = from; i < n; i++) if (personOfOrder[i] === -1) return i;
    return -1;
  };

  // Repeat buyers, largest first (fewer collisions for long histories).
  const repeaters = counts.map((k, p) => [k, p] as const).filter(([k]) => k > 1);
  repeaters.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  let spilled = 0;
  for (const [k, p] of repeaters) {
    let slot = nextFree(Math.floor(rng.next() * n * 0.9));
    if (slot === -1) slot = nextFree(0);
    if (slot === -1) {
      spilled += k;
      continue;
    }
    personOfOrder[slot] = p;
    for (let j = 1; j < k; j++) {
      const target = times[slot]! + repeatGapDays(rng) * DAY;
      const next = nextFree(Math.max(lowerBound(times, target), slot + 1));
      if (next === -1) {
        spilled += k - j;
        break;
      }
      personOfOrder[next] = p;
      slot = next;
    }
  }
  // One-order people, plus one new person per order a repeat buyer could not place, fill the free slots.
  const singlePeople: number[] = [];
  counts.forEach((k, p) => {
    if (k === 1) singlePeople.push(p);
  });
  for (let s = 0; s < spilled; s++) {
    counts.push(1);
    singlePeople.push(counts.length - 1);
  }
  rng.shuffle(singlePeople);
  let cursor = 0;
  for (let i = 0; i < n; i++) {
    if (personOfOrder[i] === -1) {
      const p = singlePeople[cursor++];
      if (p === undefined) throw new Error("internal: more free order slots than one-order people");
      personOfOrder[i] = p;
    }
  }
  if (cursor !== singlePeople.length) throw new Error("internal: one-order people left without an order");

  // Drop people left without orders (a repeater whose history spilled entirely), renumbering the rest.
  const used = new Uint8Array(counts.length);
  for (let i = 0; i < n; i++) used[personOfOrder[i]!] = 1;
  const newIndex = new Int32Array(counts.length).fill(-1);
  const people: Person[] = [];
  const attrRng = new Random(seed, "people/attributes");
  for (let p = 0; p < counts.length; p++) {
    if (!used[p]) continue;
    newIndex[p] = people.length;
    const city = cityChoice.pick(attrRng);
    const zip = zips.pick(attrRng, city);
    const spend = SPEND.regionShift[stateInfo(city.state).region] + SPEND.sd * attrRng.normal();
    people.push({ uniqueId: ids.next(), city, zip, spend });
  }
  for (let i = 0; i < n; i++) personOfOrder[i] = newIndex[personOfOrder[i]!]!;
  return { people, personOfOrder };
}

/** olist_customers_dataset.csv: one row per order, in the orders file's row order. */
export function renderCustomers(orders: readonly Order[], people: readonly Person[], rowOrder: Int32Array): string {
  const rows = new CsvRows();
  for (let r = 0; r < rowOrder.length; r++) {
    const o = orders[rowOrder[r]!]!;
    const p = people[o.person]!;
    rows.push(`${str(o.customerId)},${str(p.uniqueId)},${str(formatZip(p.zip))},${str(p.city.name)},${str(p.city.state)}`);
  }
  return renderCsv("customers", rows);
}
