import { describe, expect, it } from "vitest";
import { duplicateOrderIdCheck, freshnessCheck, missingValuesCheck, priceOutlierCheck, worstStatus } from "../src/monitor/index.js";

const DAY = 86_400_000;

describe("missing values", () => {
  it("passes under 1% and names the excluded columns", () => {
    const r = missingValuesCheck("order_reviews", 1000, [
      { column: "review_score", missing: 9 },
      { column: "review_comment_title", missing: 880 },
      { column: "review_comment_message", missing: 590 },
    ]);
    expect(r.status).toBe("pass");
    expect(r.value).toBeCloseTo(0.9);
    expect(r.detail).toContain("excluded (empty by design): review_comment_title, review_comment_message");
  });
  it("fails above 1%", () => {
    const r = missingValuesCheck("orders", 1000, [{ column: "order_status", missing: 11 }]);
    expect(r.status).toBe("fail");
    expect(r.detail).toContain("order_status 1.10%");
  });
  it("applies the looser limit of a known Olist gap", () => {
    expect(missingValuesCheck("products", 1000, [{ column: "product_category_name", missing: 18 }]).status).toBe("pass");
    expect(missingValuesCheck("products", 1000, [{ column: "product_category_name", missing: 30 }]).status).toBe("fail");
  });
});

describe("price outliers", () => {
  const normal = Array.from({ length: 10_000 }, (_, i) => 100 + (i % 21) - 10);
  it("passes without outliers", () => {
    expect(priceOutlierCheck(normal).status).toBe("pass");
  });
  it("warns from 0.1% and fails from 3%", () => {
    const few = [...normal.slice(0, 9980), ...new Array(20).fill(10_000)];
    expect(priceOutlierCheck(few).status).toBe("warn");
    // 4% at two far-apart extremes, each beyond 3 sd of the contaminated sample
    const many = [...normal.slice(0, 9600), ...new Array(200).fill(-2000), ...new Array(200).fill(2200)];
    const r = priceOutlierCheck(many);
    expect(r.value).toBeGreaterThanOrEqual(3);
    expect(r.status).toBe("fail");
  });
});

describe("duplicates and freshness", () => {
  it("duplicate order ids: 0 passes, any fails", () => {
    expect(duplicateOrderIdCheck(["a", "b", "c"]).status).toBe("pass");
    const r = duplicateOrderIdCheck(["a", "b", "a", "a"]);
    expect(r).toMatchObject({ status: "fail", value: 2 });
  });
  it("freshness: pass <= 2 days, warn <= 7, fail beyond", () => {
    const t = Date.UTC(2018, 7, 1);
    expect(freshnessCheck(t, t + 1 * DAY, "data end").status).toBe("pass");
    expect(freshnessCheck(t, t + 5 * DAY, "data end").status).toBe("warn");
    expect(freshnessCheck(t, t + 30 * DAY, "now").status).toBe("fail");
  });
  it("worst status", () => {
    expect(worstStatus(["pass", "warn", "pass"])).toBe("warn");
    expect(worstStatus(["warn", "fail"])).toBe("fail");
    expect(worstStatus([])).toBe("pass");
  });
});
