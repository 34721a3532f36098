import type { OrderStatus } from "../olist-schema.js";
import type { City } from "./geography.js";

/** Shared records of the generator; the modules fill them step by step (see generate.ts). */

/** One person (customer_unique_id). */
export interface Person {
  readonly uniqueId: string;
  readonly city: City;
  readonly zip: number;
  /** Latent log-scale spend level (0 = typical; positive buys pricier products). */
  readonly spend: number;
}

export type PaymentPlan =
  | "credit_card"
  | "boleto"
  | "credit_card+voucher"
  | "voucher"
  | "debit_card"
  | "credit_card+credit_card"
  | "not_defined";

/** One order line (one row of order_items). */
export interface Line {
  category: string;
  /** True when the line repeats the previous line's product (quantity > 1). */
  repeatsPrevious: boolean;
  /** Index into Catalog.products, or -1 before assignment. */
  product: number;
  priceCents: number;
  freightCents: number;
}

export interface Order {
  readonly id: string;
  readonly customerId: string;
  readonly person: number;
  readonly purchase: number;
  status: OrderStatus;
  plan: PaymentPlan;
  lines: Line[];
  approved: number | null;
  carrier: number | null;
  delivered: number | null;
  estimated: number;
  shippingLimit: number;
}

export interface Product {
  readonly id: string;
  readonly category: string;
  readonly nameLength: number | null;
  readonly descriptionLength: number | null;
  readonly photos: number | null;
  readonly weightG: number | null;
  readonly lengthCm: number | null;
  readonly heightCm: number | null;
  readonly widthCm: number | null;
  readonly priceCents: number;
  seller: number;
}

export interface Seller {
  readonly id: string;
  readonly city: City;
  readonly zip: number;
  readonly categories: readonly string[];
  readonly size: number;
}

export interface Catalog {
  readonly products: Product[];
  readonly sellers: Seller[];
  /** Product indices per category, most popular first (Zipf rank = position). */
  readonly byCategory: ReadonlyMap<string, readonly number[]>;
}
