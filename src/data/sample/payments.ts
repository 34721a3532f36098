import {
  CREDIT_INSTALLMENTS,
  INSTALLMENT_VALUE_CORRELATION,
  NOT_DEFINED_SHARE_OF_CANCELED,
  PAYMENT_PLANS,
  PAYMENT_VALUE_FIGURES,
  ROUND_VOUCHER_SHARE,
  ROUND_VOUCHER_VALUES,
  VOUCHER_ONLY_MULTI_SHARE,
  VOUCHER_SHARE_DECILES,
  VOUCHERS_PER_ORDER,
} from "./calibration.js";
import { CsvRows, int, money, renderCsv, str } from "./csv-writer.js";
import { orderTotalCents } from "./items.js";
import type { Order, PaymentPlan } from "./model.js";
import { Random, WeightedChoice, normalCdf, quantileInterpolate } from "./rng.js";

/**
 * Payments: each order is paid by one plan (one card, boleto, debit card, card + vouchers, vouchers only,
 * two cards, or "not_defined" for a few canceled orders). The rows of an order sum exactly to its items'
 * price + freight (no instalment interest); orders without items are paid an amount drawn like a typical
 * order total.
 */

const planChoice = WeightedChoice.fromPairs(PAYMENT_PLANS as readonly (readonly [PaymentPlan, number])[]);
const voucherCount = WeightedChoice.fromPairs(VOUCHERS_PER_ORDER);
const voucherCountMulti = WeightedChoice.fromPairs(VOUCHERS_PER_ORDER.filter(([k]) => k > 1));
const instalments = WeightedChoice.fromPairs(CREDIT_INSTALLMENTS);
const roundVoucher = WeightedChoice.fromPairs(ROUND_VOUCHER_VALUES);

export function assignPaymentPlans(seed: string, orders: readonly Order[]): void {
  const rng = new Random(seed, "payments/plan");
  for (const o of orders) {
    const plan = planChoice.pick(rng);
    const notDefined = rng.bernoulli(NOT_DEFINED_SHARE_OF_CANCELED);
    o.plan = o.status === "canceled" && notDefined ? "not_defined" : plan;
  }
}

export interface PaymentRow {
  readonly order: Order;
  readonly sequential: number;
  readonly type: string;
  readonly instalments: number;
  readonly cents: number;
}

/** Instalments for a card payment: the real marginal distribution, larger amounts taking more. */
function cardInstalments(rng: Random, cents: number): number {
  const { orderMedian, orderLogSd } = PAYMENT_VALUE_FIGURES;
  const zValue = (Math.log(Math.max(cents, 1) / 100) - Math.log(orderMedian)) / orderLogSd;
  const rho = INSTALLMENT_VALUE_CORRELATION;
  const z = rho * zValue + Math.sqrt(1 - rho * rho) * rng.normal();
  return instalments.valueAt(Math.min(normalCdf(z), 1 - 1e-12));
}

/** Splits `cents` into `k` voucher amounts (some round values), the last one taking the remainder. */
function splitVouchers(rng: Random, cents: number, k: number): number[] {
  const parts: number[] = [];
  let rest = cents;
  for (let j = 0; j < k - 1; j++) {
    const share = rest / (k - j);
    let v: number;
    // Doubled because only the non-final vouchers of an order can take a round value.
    if (rng.bernoulli(ROUND_VOUCHER_SHARE * 2)) {
      v = roundVoucher.pick(rng) * 100;
      if (v > rest) v = Math.round(share * rng.uniform(0.5, 1.5));
    } else v = Math.round(share * rng.uniform(0.5, 1.5));
    v = Math.min(Math.max(v, 0), rest);
    parts.push(v);
    rest -= v;
  }
  parts.push(rest);
  return parts;
}

export function buildPayments(seed: string, orders: readonly Order[]): PaymentRow[] {
  const rng = new Random(seed, "payments/rows");
  const rows: PaymentRow[] = [];
  for (const o of orders) {
    const drawnTotal = Math.round(rng.lognormal(PAYMENT_VALUE_FIGURES.orderMedian, PAYMENT_VALUE_FIGURES.orderLogSd) * 100);
    const total = o.lines.length > 0 ? orderTotalCents(o) : drawnTotal;
    let sequential = 0;
    const push = (type: string, n: number, cents: number): void => {
      rows.push({ order: o, sequential: ++sequential, type, instalments: n, cents });
    };
    switch (o.plan) {
      case "credit_card":
        push("credit_card", cardInstalments(rng, total), total);
        break;
      case "boleto":
      case "debit_card":
        push(o.plan, 1, total);
        break;
      case "not_defined":
        push("not_defined", 1, 0);
        break;
      case "credit_card+credit_card": {
        const first = Math.round(total * rng.uniform(0.2, 0.8));
        push("credit_card", cardInstalments(rng, first), first);
        push("credit_card", cardInstalments(rng, total - first), total - first);
        break;
      }
      case "credit_card+voucher": {
        const share = quantileInterpolate(VOUCHER_SHARE_DECILES, rng.next());
        const vouchers = Math.min(Math.max(Math.round(total * share), 1), Math.max(total - 1, 0));
        const card = total - vouchers;
        push("credit_card", cardInstalments(rng, card), card);
        for (const v of splitVouchers(rng, vouchers, voucherCount.pick(rng))) push("voucher", 1, v);
        break;
      }
      case "voucher": {
        const k = rng.bernoulli(VOUCHER_ONLY_MULTI_SHARE) ? voucherCountMulti.pick(rng) : 1;
        for (const v of splitVouchers(rng, total, k)) push("voucher", 1, v);
        break;
      }
    }
  }
  return rows;
}

/** olist_order_payments_dataset.csv, rows in `rowOrder` (the real file is in no particular order). */
export function renderPayments(rows: readonly PaymentRow[], rowOrder: Int32Array): string {
  const lines = new CsvRows();
  for (let r = 0; r < rowOrder.length; r++) {
    const p = rows[rowOrder[r]!]!;
    lines.push(`${str(p.order.id)},${int(p.sequential)},${p.type},${int(p.instalments)},${money(p.cents)}`);
  }
  return renderCsv("order_payments", lines);
}
