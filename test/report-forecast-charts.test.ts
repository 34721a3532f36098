import { describe, expect, it } from "vitest";
import { componentsChart, forecastChart, renderSvg } from "../src/report/index.js";

const days = Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2018, 0, 1 + i)));

describe("forecast charts", () => {
  it("layers the interval band, the forecast line, the actuals and the origin rule", async () => {
    const points = days.map((ds, i) => ({ ds, y: i < 7 ? 100 + i : null, yhat: 100 + i, yhat_lower: 90 + i, yhat_upper: 110 + i }));
    const spec = forecastChart({ title: "Revenue forecast", points, origin: days[6], intervalWidth: 0.9 }) as unknown as {
      layer: { mark: { type: string } }[];
      data: { values: { ds: string; y: number | null }[] };
      title: { subtitle: string };
    };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(["area", "line", "point", "rule"]);
    expect(spec.data.values[0]!.ds).toBe("2018-01-01");
    expect(spec.data.values[9]!.y).toBeNull();
    expect(spec.title.subtitle).toContain("90% interval");
    const svg = await renderSvg(spec as never);
    expect(svg).toContain("Revenue forecast");
    expect(svg.match(/<path[^>]*aria-roledescription="point"/g)?.length ?? 0).toBe(7);
  });

  it("draws one panel per component", async () => {
    const spec = componentsChart({ title: "Components", ds: days, components: { weekly: days.map(() => 0.1), yearly: days.map(() => -0.05) }, relative: true });
    const svg = await renderSvg(spec);
    expect(svg).toContain("weekly");
    expect(svg).toContain("yearly");
    expect(svg).toContain("10%");
  });
});
