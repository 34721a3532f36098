import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import seedrandom from "seedrandom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOlistSample } from "../src/data/sample/index.js";
import { validateRaw, writeFeatures } from "../src/pipeline/data-steps.js";
import { deliveredOrdersFromProcessed } from "../src/pipeline/segment-io.js";
import { adjustedRandIndex, computeRfm, predictKMeans, runSegmentation, transformLogRfm, segmentCustomers, type RfmRow, type SegmentedRow } from "../src/segment/index.js";

// Segments on a generated Olist-like sample (two seeds) must read as named: their members' mean
// recency, frequency and spend order the way the names say.
let root: string;
const bySeed = new Map<string, SegmentedRow[]>();
const rfmBySeed = new Map<string, RfmRow[]>();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "retail-intel-segment-named-"));
  for (const seed of ["named-a", "named-b"]) {
    const raw = join(root, seed, "raw");
    const processed = join(root, seed, "processed");
    mkdirSync(raw, { recursive: true });
    for (const [file, text] of generateOlistSample({ orders: 12000, seed })) writeFileSync(join(raw, file), text);
    await writeFeatures(validateRaw(raw, undefined), processed);
    const rfm = computeRfm(await deliveredOrdersFromProcessed(processed));
    rfmBySeed.set(seed, rfm);
    bySeed.set(seed, segmentCustomers(rfm));
  }
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function means(rows: readonly SegmentedRow[]): Map<string, { n: number; recency: number; frequency: number; spend: number }> {
  const out = new Map<string, { n: number; recency: number; frequency: number; spend: number }>();
  for (const r of rows) {
    const m = out.get(r.segment) ?? { n: 0, recency: 0, frequency: 0, spend: 0 };
    m.n++;
    m.recency += r.recencyDays;
    m.frequency += r.frequency;
    m.spend += r.monetary;
    out.set(r.segment, m);
  }
  for (const m of out.values()) (m.recency /= m.n), (m.frequency /= m.n), (m.spend /= m.n);
  return out;
}

describe("segments read as named on a generated sample", () => {
  for (const seed of ["named-a", "named-b"]) {
    it(`seed ${seed}: Champions recent repeat buyers; At Risk and Can't Lose Them high past value long ago; Hibernating low value long ago; New Customers recent one-order`, () => {
      const rows = bySeed.get(seed)!;
      const m = means(rows);
      const get = (name: string) => {
        const v = m.get(name);
        expect(v, `${name} is empty`).toBeDefined();
        return v!;
      };
      const [champions, atRisk, cantLose, hibernating, newCustomers, potential] = ["Champions", "At Risk", "Can't Lose Them", "Hibernating", "New Customers", "Potential Loyalists"].map(get) as [ReturnType<typeof get>, ReturnType<typeof get>, ReturnType<typeof get>, ReturnType<typeof get>, ReturnType<typeof get>, ReturnType<typeof get>];
      expect(champions.recency).toBeLessThan(atRisk.recency);
      expect(champions.recency).toBeLessThan(hibernating.recency);
      expect(champions.frequency).toBeGreaterThanOrEqual(2);
      expect(newCustomers.frequency).toBe(1);
      expect(newCustomers.recency).toBeLessThan(hibernating.recency);
      expect(atRisk.spend).toBeGreaterThan(hibernating.spend);
      expect(cantLose.frequency).toBeGreaterThanOrEqual(3);
      expect(cantLose.recency).toBeGreaterThan(champions.recency);
      expect(potential.spend).toBeGreaterThan(newCustomers.spend);
      // spend differs by segment (what a marketing team acts on): the highest mean spend is at least twice the lowest
      const spends = [...m.values()].map((v) => v.spend);
      expect(Math.max(...spends)).toBeGreaterThan(2 * Math.min(...spends));
    });
  }
});

describe("k-means on a generated sample", () => {
  for (const seed of ["named-a", "named-b"]) {
    it(`seed ${seed}: k chosen among the stable ks, and the chosen partition reproduces under bootstrap (mean ARI >= 0.9)`, () => {
      const result = runSegmentation(rfmBySeed.get(seed)!, { clustering: { bootstrapResamples: 10 } });
      expect(result.silhouetteCurve.find((p) => p.k === result.k)!.stability).toBeGreaterThanOrEqual(0.9);
      expect(result.bootstrap.mean).toBeGreaterThanOrEqual(0.9);
    });
  }
});

describe("segmentation is deterministic and independent of row order and ids", () => {
  it("the same rows give the same result; shuffled rows with hashed ids give every customer the same segment and cluster", () => {
    const rows = rfmBySeed.get("named-a")!;
    const options = { clustering: { bootstrapResamples: 4 } };
    const a = runSegmentation(rows, options);
    const b = runSegmentation(rows, options);
    expect(b.k).toBe(a.k);
    expect(b.silhouetteCurve).toEqual(a.silhouetteCurve);
    expect(b.bootstrap.values).toEqual(a.bootstrap.values);
    expect(b.customers.map((c) => c.cluster)).toEqual(a.customers.map((c) => c.cluster));
    // the saved model (scaler + centroids, numbered as the clusters) assigns every customer to their cluster
    expect(predictKMeans(a.model.centroids, transformLogRfm(a.customers, a.model.scaler))).toEqual(a.customers.map((c) => c.cluster));

    const hash = (id: string): string => createHash("sha256").update(id).digest("hex");
    const rng = seedrandom("shuffle-rows");
    const shuffled = rows.map((r) => ({ ...r, customerUniqueId: hash(r.customerUniqueId) }));
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const c = runSegmentation(shuffled, options);
    expect(c.k).toBe(a.k);
    const original = new Map(a.customers.map((x) => [hash(x.customerUniqueId), x]));
    const pairs = c.customers.map((x) => [original.get(x.customerUniqueId)!, x] as const);
    expect(pairs.every(([o, x]) => o.segment === x.segment)).toBe(true);
    // cluster ids are numbered by size, so the same partition has the same ids
    expect(adjustedRandIndex(pairs.map(([o]) => o.cluster), pairs.map(([, x]) => x.cluster))).toBeGreaterThan(0.99);
    expect(c.summary.map((s) => [s.segment, s.customers])).toEqual(a.summary.map((s) => [s.segment, s.customers]));
    c.summary.forEach((s, i) => expect(s.revenue).toBeCloseTo(a.summary[i]!.revenue, 6)); // summed in another order
  });
});
