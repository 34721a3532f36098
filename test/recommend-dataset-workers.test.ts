import { describe, expect, it } from "vitest";
import { buildDataset, datasetForWorkers } from "../src/recommend/dataset.js";
import { syntheticRecommendInput } from "./support/recommend-fixture.js";

describe("datasetForWorkers", () => {
  const ds = buildDataset(syntheticRecommendInput({ users: 120, items: 60, categories: 5, seed: "workers", repeatShare: 0.4 }));
  const shared = datasetForWorkers(ds);

  it("holds the same values with every typed array on a SharedArrayBuffer", () => {
    const arrays = [
      shared.itemCategory, shared.orderUser, shared.orderTime, shared.orderState, shared.orderPaymentValue, shared.orderPaymentType,
      shared.orderInstallments, shared.orderReviewScore, shared.interactions.user, shared.interactions.item, shared.interactions.time,
      shared.interactions.order, shared.interactions.price, shared.orderItems.offsets, shared.userOrders.offsets, shared.userOrders.values,
      shared.userInteractions.offsets, shared.userInteractions.values,
    ];
    for (const a of arrays) expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(shared.interactions.price)).toEqual(Array.from(ds.interactions.price));
    expect(Array.from(shared.orderReviewScore)).toEqual(Array.from(ds.orderReviewScore));
    expect(Array.from(shared.userOrders.values)).toEqual(Array.from(ds.userOrders.values));
    expect(shared.userIds).toEqual(ds.userIds);
    expect(shared.items).toEqual(ds.items);
  });

  it("keeps one array where the dataset has one (an order's items are its interactions' items), leaves the dataset as it was", () => {
    expect(ds.orderItems.values).toBe(ds.interactions.item);
    expect(shared.orderItems.values).toBe(shared.interactions.item);
    expect(ds.interactions.item.buffer).toBeInstanceOf(ArrayBuffer);
    expect(shared.itemIndex.size).toBe(0);
    expect(ds.itemIndex.size).toBe(ds.items.length);
  });
});
