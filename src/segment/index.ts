/**
 * Customer segmentation: RFM per customer_unique_id, behaviour-only scores, the 10-segment map on
 * (R, F) as config data, and the per-segment summary. Pure: arrays in, results out.
 *
 *   const { computeRfm, segmentCustomers, summarizeSegments, segmentConfig, segmentConfigParams } = await load("src/segment/index.ts");
 *   const config = segmentConfig();                       // or segmentConfig({ referenceDate: "2018-09-01" })
 *   const rfm = computeRfm(deliveredOrders, { referenceDate: referenceDateOf(config.referenceDate) });
 *   const customers = segmentCustomers(rfm, config);
 *   const table = summarizeSegments(customers, config.segmentMap);
 *   run.logParams(segmentConfigParams(config));
 */
export * from "./config.js";
export * from "./rfm.js";
export * from "./scores.js";
export * from "./segment-map.js";
export * from "./summary.js";
export * from "./kmeans.js";
export * from "./silhouette.js";
export * from "./clusters.js";
export * from "./stability.js";
export * from "./run-segmentation.js";
