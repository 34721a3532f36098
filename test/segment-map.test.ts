import { describe, expect, it } from "vitest";
import {
  DEFAULT_SEGMENT_MAP,
  SEGMENT_CONFIG_DEFAULT,
  SegmentMapError,
  compileSegmentMap,
  referenceDateOf,
  ruleFromPattern,
  rulePattern,
  segmentConfig,
  segmentConfigParams,
  segmentNames,
  validateSegmentMap,
  type SegmentRule,
} from "../src/segment/index.js";

// The widely used regex-style map on the "RF" string.
const REGEX_MAP: [string, string][] = [
  ["[1-2][1-2]", "Hibernating"],
  ["[1-2][3-4]", "At Risk"],
  ["[1-2]5", "Can't Lose Them"],
  ["3[1-2]", "About to Sleep"],
  ["33", "Need Attention"],
  ["[3-4][4-5]", "Loyal Customers"],
  ["41", "Promising"],
  ["51", "New Customers"],
  ["[4-5][2-3]", "Potential Loyalists"],
  ["5[4-5]", "Champions"],
];

function pairsOf(rule: SegmentRule): string[] {
  const out: string[] = [];
  for (let r = rule.r[0]; r <= rule.r[1]; r++) for (let f = rule.f[0]; f <= rule.f[1]; f++) out.push(`${r}${f}`);
  return out;
}

function catchError(fn: () => unknown): SegmentMapError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SegmentMapError) return e;
    throw e;
  }
  throw new Error("expected a SegmentMapError");
}

describe("default segment map", () => {
  it("is the regex-style map, as (R range, F range) rules", () => {
    const fromRegex = REGEX_MAP.map(([pattern, segment]) => ruleFromPattern(pattern, segment));
    const key = (rule: SegmentRule) => `${rule.segment}=${rulePattern(rule)}`;
    expect(DEFAULT_SEGMENT_MAP.map(key).sort()).toEqual(fromRegex.map(key).sort());
    expect(segmentNames()).toEqual([
      "Champions",
      "Loyal Customers",
      "Potential Loyalists",
      "New Customers",
      "Promising",
      "Need Attention",
      "About to Sleep",
      "At Risk",
      "Can't Lose Them",
      "Hibernating",
    ]);
  });

  it("maps each of the 25 (R, F) pairs to exactly one segment", () => {
    const hits = new Map<string, number>();
    for (const rule of DEFAULT_SEGMENT_MAP) for (const p of pairsOf(rule)) hits.set(p, (hits.get(p) ?? 0) + 1);
    expect(hits.size).toBe(25);
    expect([...hits.values()].every((n) => n === 1)).toBe(true);
    expect(() => validateSegmentMap(DEFAULT_SEGMENT_MAP)).not.toThrow();
  });

  it("looks up known pairs, matching the regex on the RF string", () => {
    const lookup = compileSegmentMap(DEFAULT_SEGMENT_MAP);
    expect(lookup(5, 5)).toBe("Champions");
    expect(lookup(1, 1)).toBe("Hibernating");
    expect(lookup(3, 3)).toBe("Need Attention");
    expect(lookup(2, 5)).toBe("Can't Lose Them");
    expect(lookup(4, 1)).toBe("Promising");
    expect(lookup(5, 1)).toBe("New Customers");
    expect(lookup(4, 4)).toBe("Loyal Customers");
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        const matching = REGEX_MAP.filter(([pattern]) => new RegExp(`^${pattern}$`).test(`${r}${f}`));
        expect(matching.map(([, segment]) => segment), `${r}${f}`).toEqual([lookup(r, f)]);
      }
    }
    expect(() => lookup(0, 3)).toThrow(/R=0, F=3/);
  });
});

describe("broken maps throw naming the pair", () => {
  it("a gap", () => {
    const gap = DEFAULT_SEGMENT_MAP.filter((rule) => rule.segment !== "Need Attention");
    const error = catchError(() => validateSegmentMap(gap));
    expect(error.message).toMatch(/\(R=3, F=3\) matches no rule/);
    expect(error.problems).toEqual([{ r: 3, f: 3, matches: [] }]);
  });

  it("an overlap", () => {
    const overlap = DEFAULT_SEGMENT_MAP.map((rule) => (rule.segment === "Champions" ? { ...rule, r: [4, 5] as const } : rule));
    const error = catchError(() => validateSegmentMap(overlap));
    expect(error.message).toContain("(R=4, F=4) matches 2 rules: Champions [4-5][4-5], Loyal Customers [3-4][4-5]");
    expect(error.problems.map((p) => `${p.r}${p.f}`)).toEqual(["44", "45"]);
  });

  it("malformed rules and patterns", () => {
    expect(() => validateSegmentMap([])).toThrow(/no rules/);
    expect(() => validateSegmentMap([{ segment: "All", r: [1, 6], f: [1, 5] }])).toThrow(/rule 1 \(All\): R range \[1,6\]/);
    expect(() => validateSegmentMap([{ segment: "", r: [1, 5], f: [1, 5] }])).toThrow(/segment name is empty/);
    expect(() => ruleFromPattern("[1-2]x", "X")).toThrow(SegmentMapError);
    // a one-rule map covering everything is valid
    expect(() => validateSegmentMap([{ segment: "All", r: [1, 5], f: [1, 5] }])).not.toThrow();
  });
});

describe("segment config", () => {
  it("defaults state each choice and flatten to string MLflow params", () => {
    const params = segmentConfigParams(SEGMENT_CONFIG_DEFAULT);
    expect(params["segment.customer_key"]).toBe("customer_unique_id");
    expect(params["segment.order_status"]).toBe("delivered");
    expect(params["segment.reference_date"]).toBe("day-after-last-purchase");
    expect(params["segment.scoring"]).toBe("behaviour");
    expect(params["segment.thresholds.frequency"]).toBe("auto; repeat 2+ orders, frequent 3+; one-order spend quantiles 0.5|0.8");
    expect(params["segment.map.01"]).toBe("Champions=5[4-5]");
    expect(params["segment.map.10"]).toBe("Hibernating=[1-2][1-2]");
    expect(params["segment.at_risk_segments"]).toBe("At Risk|Can't Lose Them");
    expect(Object.values(params).every((v) => typeof v === "string")).toBe(true);
    expect(Object.keys(params).every((k) => /^[\w./ -]+$/.test(k))).toBe(true); // MLflow key charset
    expect(Object.keys(params).length).toBeLessThanOrEqual(100);
  });

  it("overrides are validated", () => {
    expect(segmentConfig({ referenceDate: "2018-09-01" }).referenceDate).toBe("2018-09-01");
    expect(referenceDateOf("2018-09-01")?.toISOString()).toBe("2018-09-01T00:00:00.000Z");
    expect(referenceDateOf("day-after-last-purchase")).toBeUndefined();
    expect(() => segmentConfig({ referenceDate: "yesterday-ish" })).toThrow(/referenceDate/);
    expect(() => segmentConfig({ segmentMap: DEFAULT_SEGMENT_MAP.slice(1) })).toThrow(/\(R=5, F=4\) matches no rule/);
    expect(() => segmentConfig({ atRiskSegments: ["Gone"] })).toThrow(/"Gone"/);
    expect(() => segmentConfig({ scoring: "plain-quintile" as "behaviour" })).toThrow(/scoring/);
  });
});
