// Segmentation speed: what `segment` does for N customers (RFM from orders, scores and rule segments, the
// silhouette + stability sweep k = 2..10, the final K-means on everyone, bootstrap ARI, the reference-shift
// check), in this process; prints {"customers","seconds","peakRssMiB", ...} as JSON.
// Usage: tsx scripts/bench-segment.ts N (Olist-like synthetic customers) | tsx scripts/bench-segment.ts PROCESSED_DIR
import { existsSync } from "node:fs";
import seedrandom from "seedrandom";
import { deliveredOrdersFromProcessed } from "../src/pipeline/segment-io.js";
import { computeRfm, type RfmOrder } from "../src/segment/rfm.js";
import { runSegmentation } from "../src/segment/run-segmentation.js";

function syntheticOrders(customers: number): RfmOrder[] {
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
  return orders;
}

const input = process.argv[2] ?? "100000";
const t0 = performance.now();
const orders = existsSync(input) ? await deliveredOrdersFromProcessed(input) : syntheticOrders(Number(input));
const t1 = performance.now();
const rfm = computeRfm(orders);
const t2 = performance.now();
const result = runSegmentation(rfm, { orders });
const t3 = performance.now();
process.stdout.write(
  `${JSON.stringify({
    customers: rfm.length,
    orders: orders.length,
    readSeconds: (t1 - t0) / 1000,
    rfmSeconds: (t2 - t1) / 1000,
    segmentationSeconds: (t3 - t2) / 1000,
    seconds: (t3 - t0) / 1000,
    k: result.k,
    bootstrapAriMean: result.bootstrap.mean,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
