import { prepareSplit, type PreparedSplit } from "./fit.js";
import type { TwoTowerConfig } from "./config.js";
import type { Dataset, ProtocolSplit } from "./types.js";

/**
 * Prepared splits by key (one key per split and config), the `keep` most recently prepared: each split
 * is prepared once (prepareSplit) and reused by its later seeds. Used by TrainingPool's workers and by
 * the pool itself when it trains in the main thread.
 */
export class PreparedSplits {
  private readonly byKey = new Map<string, PreparedSplit>();

  constructor(
    private readonly dataset: Dataset,
    private readonly keep: number,
  ) {}

  /** The split's preparation, and the seconds it took when it was prepared now (null when reused). */
  get(key: string, split: ProtocolSplit, config: TwoTowerConfig): { prepared: PreparedSplit; seconds: number | null } {
    const kept = this.byKey.get(key);
    if (kept !== undefined) return { prepared: kept, seconds: null };
    const started = performance.now();
    const prepared = prepareSplit(this.dataset, split, config);
    const seconds = (performance.now() - started) / 1000;
    this.byKey.set(key, prepared);
    if (this.byKey.size > this.keep) this.byKey.delete(this.byKey.keys().next().value!);
    return { prepared, seconds };
  }
}
