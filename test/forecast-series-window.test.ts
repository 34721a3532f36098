import { describe, expect, it } from "vitest";
import { trimTrailingTail } from "../src/forecast/series-window.js";

const day = (i: number): Date => new Date(Date.UTC(2018, 0, 1 + i));

describe("trimTrailingTail", () => {
  it("cuts the days after the data trails off, keeping a normal last day", () => {
    const orders = [...Array.from({ length: 120 }, (_, i) => 200 + (i % 7) * 10), 3, 0, 1, 0, 2];
    const series = { ds: orders.map((_, i) => day(i)), y: orders.map((o) => o * 150), orders };
    const trimmed = trimTrailingTail(series);
    expect(trimmed.droppedDays).toBe(5);
    expect(trimmed.ds).toHaveLength(120);
    expect(trimmed.y[119]).toBe(series.y[119]);
  });

  it("keeps a series that does not trail off, and a quiet day well above the threshold", () => {
    const y = Array.from({ length: 100 }, (_, i) => (i === 99 ? 40 : 100));
    expect(trimTrailingTail({ ds: y.map((_, i) => day(i)), y }).droppedDays).toBe(0);
  });
});
