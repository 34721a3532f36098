// Segmentation speed: RFM from orders + silhouette sweep (k = 2..10) + the chosen K-means, for N customers,
// in this process; prints {"customers","seconds","peakRssMiB", ...} as JSON. Usage: tsx scripts/bench-segment.ts N
import seedrandom from "seedrandom";
import { computeRfm, type RfmOrder } from "../src/segment/rfm.js";
import { DEFAULT_CLUSTERING } from "../src/segment/run-segmentation.js";
import { logRfmFeatures } from "../src/segment/kmeans.js";
import { segmentCustomers } from "../src/segment/segment-map.js";
import { silhouetteSweep } from "../src/segment/silhouette.js";

const customers = Number(process.argv[2] ?? 100_000);
const random = seedrandom("bench-segment");
const start = Date.UTC(2017, 0, 1);
const span = 600 * 86_400_000;
const orders: RfmOrder[] = [];
for (let c = 0; c < customers; c++) {
  const id = `c${c.toString(16).padStart(8, "0")}`;
  const n = random() < 0.97 ? 1 : 2 + Math.floor(random() * 3); // Olist-like: ~3% buy again
  for (let o = 0; o < n; o++) {
    const revenue = Math.exp(4.6 + 0.9 * Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random()));
    orders.push({ customerUniqueId: id, orderId: `${id}-${o}`, purchase: new Date(start + random() * span), revenue });
  }
}
const t0 = performance.now();
const rfm = computeRfm(orders);
const t1 = performance.now();
const segmented = segmentCustomers(rfm);
const { points } = logRfmFeatures(segmented);
const sweep = silhouetteSweep(points, { kFrom: DEFAULT_CLUSTERING.kFrom, kTo: DEFAULT_CLUSTERING.kTo, seed: DEFAULT_CLUSTERING.seed, sampleSize: DEFAULT_CLUSTERING.silhouetteSample, nInit: DEFAULT_CLUSTERING.sweepInit });
const t2 = performance.now();
process.stdout.write(
  `${JSON.stringify({ customers, orders: orders.length, rfmSeconds: (t1 - t0) / 1000, segmentAndSweepSeconds: (t2 - t1) / 1000, seconds: (t2 - t0) / 1000, k: sweep.bestK, peakRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
