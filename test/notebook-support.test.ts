import { describe, expect, it } from "vitest";
import { metricKeyPart, rfmFrame } from "../src/pipeline/notebook-support.js";

describe("notebook helpers", () => {
  it("turns segment names into MLflow-safe key parts", () => {
    expect(metricKeyPart("Can't Lose Them")).toBe("cant_lose_them");
    expect(metricKeyPart("At Risk")).toBe("at_risk");
    expect(metricKeyPart("  Loyal Customers ")).toBe("loyal_customers");
  });

  it("builds an RFM frame with one row per customer", () => {
    const frame = rfmFrame([
      { recencyDays: 3, frequency: 1, monetary: 10 },
      { recencyDays: 40, frequency: 2, monetary: 99.5 },
    ]);
    expect(frame.columns).toEqual(["recency_days", "frequency", "monetary"]);
    expect(frame.getColumn("monetary").toArray()).toEqual([10, 99.5]);
  });
});
