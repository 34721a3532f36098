/** Everything that shapes the two-tower model and its training; every value is logged as an MLflow param. */
export interface TwoTowerConfig {
  /** Maximum epochs: early stopping on the validation window may stop sooner. */
  epochs: number;
  /** Early stopping: epochs without a better validation score before training stops. */
  patience: number;
  /** Rows of users with history (a purchase before this one) appear this many times per epoch (1 = once, like every row). */
  historyOversample: number;
  /** Fraction of the training period (by interactions, from its end) carved out as the validation window. */
  validationFraction: number;
  learningRate: number;
  batchSize: number;
  /** Softmax temperature: logits are cosine similarities / temperature. */
  temperature: number;
  /** Subtract log q(item) (its share of training interactions) from in-batch logits (Yi et al. 2019). */
  logQCorrection: boolean;
  /** Mask in-batch "negatives" that are the row's own item bought by another row. */
  removeAccidentalHits: boolean;
  hiddenUnits: number;
  embeddingDim: number;
  itemIdDim: number;
  categoryDim: number;
  stateDim: number;
  /** Adam's constants; embedding tables use lazy Adam (only rows in the batch move). */
  beta1: number;
  beta2: number;
  epsilon: number;
}

export const DEFAULT_TWO_TOWER_CONFIG: TwoTowerConfig = {
  epochs: 10,
  patience: 1,
  validationFraction: 0.1,
  historyOversample: 8,
  learningRate: 0.001,
  batchSize: 512,
  temperature: 0.05,
  logQCorrection: true,
  removeAccidentalHits: true,
  hiddenUnits: 128,
  embeddingDim: 64,
  itemIdDim: 32,
  categoryDim: 16,
  stateDim: 8,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
};

export function resolveTwoTowerConfig(overrides: Partial<TwoTowerConfig> = {}): TwoTowerConfig {
  const config = { ...DEFAULT_TWO_TOWER_CONFIG, ...overrides };
  const positiveInts: (keyof TwoTowerConfig)[] = ["epochs", "patience", "historyOversample", "batchSize", "hiddenUnits", "embeddingDim", "itemIdDim", "categoryDim", "stateDim"];
  for (const key of positiveInts) {
    const v = config[key] as number;
    if (!Number.isInteger(v) || v < 1) throw new Error(`two-tower config: ${key} must be a positive integer, got ${v}`);
  }
  if (config.batchSize < 2) throw new Error("two-tower config: batchSize must be >= 2 (in-batch negatives)");
  for (const key of ["learningRate", "temperature", "epsilon"] as const) {
    if (!(config[key] > 0)) throw new Error(`two-tower config: ${key} must be > 0, got ${config[key]}`);
  }
  if (!(config.validationFraction > 0 && config.validationFraction < 1)) throw new Error(`two-tower config: validationFraction must be in (0, 1), got ${config.validationFraction}`);
  for (const key of ["beta1", "beta2"] as const) {
    if (!(config[key] >= 0 && config[key] < 1)) throw new Error(`two-tower config: ${key} must be in [0, 1), got ${config[key]}`);
  }
  return config;
}
