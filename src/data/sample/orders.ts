import { ORDER_STATUSES, type OrderStatus } from "../olist-schema.js";
import { CANCELED_DATES, ORDER_STATUS_COUNTS } from "./calibration.js";
import { DATA_END, DAY, HOUR, dayStart, floorDay, weekday } from "./calendar.js";
import { CsvRows, datetime, renderCsv, str } from "./csv-writer.js";
import { CITIES, distanceKm, type City } from "./geography.js";
import type { Catalog, Order, Person } from "./model.js";
import { Random, WeightedChoice } from "./rng.js";

/**
 * Order statuses and the order timeline: approval, hand-over to the carrier, delivery, estimated
 * delivery date, and the sellers' shipping limit. Delivery time grows with the seller-customer distance.
 */

const statusChoice = new WeightedChoice<OrderStatus>(
  ORDER_STATUSES,
  ORDER_STATUSES.map((s) => ORDER_STATUS_COUNTS[s]),
);

/** Orders placed after this day are the real file's stragglers: nearly all canceled. */
const STRAGGLERS_FROM = dayStart("2018-09-01");

export function assignStatuses(seed: string, orders: readonly Order[]): void {
  const rng = new Random(seed, "orders/status");
  for (const o of orders) {
    o.status = o.purchase >= STRAGGLERS_FROM ? (rng.bernoulli(0.9) ? "canceled" : "shipped") : statusChoice.pick(rng);
  }
}

/*
 * Timeline model (estimates tuned so that a 100K sample shows the known figures: purchase to delivery
 * median ~10 days, estimated date ~23 days after purchase, ~8% of deliveries late):
 * - approval: card/voucher payments minutes after purchase (15% held for hours), boleto ~1 day later;
 * - handling (approval -> carrier): log-normal, median 1.9 days; a carrier pick-up on Sunday moves to Monday;
 * - transit (carrier -> customer): log-normal, median 1.6 days + 1 day per 330 km; 6% of shipments hit a
 *   delay of ~12 more days (more at Black Friday 2017, in Feb-Mar 2018 and during the May 2018 truckers' strike);
 * - estimated date: purchase day + 1.6 x the route's typical time + 11 days (+-), at 00:00:00.
 */
const TIMELINE = {
  cardApprovalMinutes: 12,
  cardHeldShare: 0.15,
  cardHeldHours: 14,
  boletoApprovalDays: 1.1,
  handlingDays: 2.4,
  handlingLogSd: 0.8,
  transitBaseDays: 3,
  transitKmPerDay: 260,
  transitLogSd: 0.55,
  delayShare: 0.06,
  delayDays: 12,
  estimateFactor: 1.5,
  estimateSlackDays: 11,
  estimateSdDays: 2.5,
} as const;

const PEAKS: readonly (readonly [from: number, to: number, transit: number, delay: number])[] = [
  [dayStart("2017-11-24"), dayStart("2018-01-05"), 1.3, 2.2],
  [dayStart("2018-02-01"), dayStart("2018-04-01"), 1.15, 2],
  [dayStart("2018-05-18"), dayStart("2018-06-08"), 1.4, 2.5],
];

const SAO_PAULO: City = CITIES.find((c) => c.name === "sao paulo")!;

function peakOf(t: number): readonly [number, number] {
  for (const [from, to, transit, delay] of PEAKS) if (t >= from && t < to) return [transit, delay];
  return [1, 1];
}

export function scheduleOrders(seed: string, orders: readonly Order[], people: readonly Person[], catalog: Catalog): void {
  const rng = new Random(seed, "orders/timeline");
  const T = TIMELINE;
  for (const o of orders) {
    const customerCity = people[o.person]!.city;
    const firstLine = o.lines[0];
    const sellerCity = firstLine ? catalog.sellers[catalog.products[firstLine.product]!.seller]!.city : SAO_PAULO;
    const km = distanceKm(sellerCity, customerCity);
    const [transitPeak, delayPeak] = peakOf(o.purchase);

    // Draw every step for every order (fixed number of draws keeps the stream aligned across statuses).
    let approvalLag: number;
    if (o.plan === "boleto") approvalLag = rng.lognormal(T.boletoApprovalDays * DAY, 0.6);
    else if (rng.bernoulli(T.cardHeldShare)) approvalLag = rng.lognormal(T.cardHeldHours * HOUR, 0.8);
    else approvalLag = Math.min(rng.lognormal(T.cardApprovalMinutes * 60, 1.0), 6 * HOUR);
    approvalLag = Math.max(approvalLag, 10);
    const handling = Math.max(rng.lognormal(T.handlingDays * DAY, T.handlingLogSd), 2 * HOUR);
    const transitMedian = (T.transitBaseDays + km / T.transitKmPerDay) * DAY * transitPeak;
    let transit = rng.lognormal(transitMedian, T.transitLogSd);
    if (rng.bernoulli(T.delayShare * delayPeak)) transit += rng.lognormal(T.delayDays * DAY, 0.6);
    const typicalDays = T.handlingDays + T.transitBaseDays + km / T.transitKmPerDay + 0.3;
    const estimateDays = Math.max(
      Math.round(typicalDays * T.estimateFactor + T.estimateSlackDays + T.estimateSdDays * rng.normal()),
      3,
    );
    const limitDays = rng.int(3, 8);
    const limitJitter = rng.int(0, 1800);
    const canceledUpTo = rng.next();

    const approved = o.purchase + approvalLag;
    let carrier = approved + handling;
    if (weekday(carrier) === 6) carrier += DAY;
    const delivered = carrier + transit;
    o.estimated = floorDay(o.purchase) + estimateDays * DAY;
    o.approved = approved;
    o.carrier = null;
    o.delivered = null;
    switch (o.status) {
      case "delivered":
        o.carrier = carrier;
        o.delivered = delivered;
        break;
      case "shipped":
        o.carrier = carrier;
        break;
      case "canceled":
        if (canceledUpTo >= CANCELED_DATES.approved) o.approved = null;
        else if (canceledUpTo < CANCELED_DATES.carrier) {
          o.carrier = carrier;
          if (canceledUpTo < CANCELED_DATES.delivered) o.delivered = delivered;
        }
        break;
      case "created":
        o.approved = null;
        break;
      default:
        break;
    }
    // Nothing happens after the data was extracted: late steps have not happened yet.
    if (o.delivered !== null && o.delivered > DATA_END) {
      o.delivered = null;
      if (o.status === "delivered") o.status = "shipped";
    }
    if (o.carrier !== null && o.carrier > DATA_END) {
      o.carrier = null;
      if (o.status === "shipped") o.status = "invoiced";
    }
    if (o.approved !== null && o.approved > DATA_END) {
      o.approved = null;
      if (o.status !== "canceled") o.status = "created";
    }
    o.shippingLimit = (o.approved ?? o.purchase) + limitDays * DAY + limitJitter;
  }
}

/** olist_orders_dataset.csv, rows in `rowOrder`. */
export function renderOrders(orders: readonly Order[], rowOrder: Int32Array): string {
  const rows = new CsvRows();
  for (let r = 0; r < rowOrder.length; r++) {
    const o = orders[rowOrder[r]!]!;
    rows.push(
      `${str(o.id)},${str(o.customerId)},${o.status},${datetime(o.purchase)},${datetime(o.approved)},` +
      `${datetime(o.carrier)},${datetime(o.delivered)},${datetime(o.estimated)}`
    );
  }
  return renderCsv("orders", rows);
}
