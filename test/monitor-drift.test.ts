import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { driftReport, monthlyWindows, weeklyWindows, type OrderObservation } from "../src/monitor/index.js";

const DAY = 86_400_000;
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY;

/** 60 orders a day through 2018-01-01..2018-08-31; August's prices multiplied by `augustFactor`. */
function orders(augustFactor: number): OrderObservation[] {
  const rng = seedrandom("drift");
  const out: OrderObservation[] = [];
  for (let d = day("2018-01-01"); d <= day("2018-08-31"); d++) {
    const august = d >= day("2018-08-01");
    for (let k = 0; k < 60; k++) {
      const price = Math.exp(4.5 + 0.8 * (rng() + rng() + rng() - 1.5)) * (august ? augustFactor : 1);
      out.push({
        purchaseMs: d * DAY + Math.floor(rng() * DAY),
        price,
        freight: 10 + 20 * rng(),
        paymentValue: price + 15,
        installments: 1 + Math.floor(rng() * 6),
        reviewScore: rng() < 0.6 ? 5 : 1 + Math.floor(rng() * 4),
        deliveryDays: 3 + 20 * rng(),
        revenue: price + 15,
      });
    }
  }
  return out;
}

describe("windows", () => {
  it("monthly: the last full month and the 3 before", () => {
    const w = monthlyWindows(day("2018-08-31"));
    expect(w.latest.label).toBe("2018-08");
    expect(w.baseline.label).toBe("2018-05..2018-07");
    expect(monthlyWindows(day("2018-08-30")).latest.label).toBe("2018-07");
  });
  it("weekly: the last full Monday-Sunday week and the 8 before", () => {
    const w = weeklyWindows(day("2018-08-31")); // a Friday
    expect(w.latest.label).toBe("week 2018-08-20..2018-08-26");
    expect(w.baseline.endDay - w.baseline.startDay).toBe(56);
  });
});

describe("drift", () => {
  it("passes an unchanged distribution", () => {
    const r = driftReport(orders(1), day("2018-08-31"));
    expect([...r.monthly, ...r.weekly].map((f) => [f.period, f.feature, f.status]).filter(([, , s]) => s !== "pass")).toEqual([]);
    expect(r.revenue.result.status).toBe("pass");
  });
  it("flags a shifted price distribution", () => {
    const r = driftReport(orders(2), day("2018-08-31"));
    const price = r.monthly.find((f) => f.feature === "price")!;
    expect(price.status).toBe("fail");
    expect(price.psi!).toBeGreaterThan(0.25);
    expect(r.weekly.find((f) => f.feature === "price")!.status).toBe("fail");
    expect(r.monthly.find((f) => f.feature === "freight")!.status).toBe("pass");
    expect(r.revenue.result.status).toBe("fail"); // revenue doubled against a flat history
  });
  it("fails orders per day when volume collapses", () => {
    const cut = orders(1).filter((o, i) => o.purchaseMs < day("2018-08-01") * DAY || i % 10 === 0);
    const r = driftReport(cut, day("2018-08-31"));
    expect(r.monthly.find((f) => f.feature === "orders_per_day")!.status).toBe("fail");
  });
});
