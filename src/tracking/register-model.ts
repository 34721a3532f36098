/**
 * A notebook's model into the registry, and the champion decision: the new version gets `challenger`, and
 * becomes `champion` only when it beats the current champion on the same metric computed on the same
 * evaluation data (its fingerprint); otherwise the decision says why not. The evaluation travels as
 * version tags, so the comparison needs nothing but the registry.
 */
import { createHash } from "node:crypto";
import type { ActiveRun } from "./active-run.js";
import { TrackingError } from "./errors.js";
import type { ModelVersion } from "./registry.js";

export const CHAMPION = "champion";
export const CHALLENGER = "challenger";

/** The honest metric a version was judged on. */
export interface Evaluation {
  /** Metric key with its protocol, e.g. `temporal-full.two-tower+prior.hr_at_10`. */
  readonly metric: string;
  readonly value: number;
  readonly higherIsBetter: boolean;
  /** Fingerprint of the evaluation data ({@link fingerprint}): two values compare only when these are equal. */
  readonly data: string;
}

export interface RegisterModelOptions {
  /** Registered model name, e.g. `retail-intel-two-tower`. */
  readonly name: string;
  readonly description: string;
  /** The run's artifact folder holding the model (already logged), e.g. `model`. */
  readonly artifactPath: string;
  readonly evaluation: Evaluation;
  /** More version tags (e.g. the data's origin). */
  readonly tags?: Record<string, string>;
}

export interface RegistrationDecision {
  readonly registered: boolean;
  readonly name: string;
  readonly version?: string;
  /** Whether this version is now the champion. */
  readonly champion: boolean;
  /** The champion before this version, when there was one. */
  readonly previousChampion?: { readonly version: string; readonly value?: number };
  /** One sentence for the notebook. */
  readonly reason: string;
}

/** sha256 (first 16 hex digits) of the JSON of the parts: the identity of an evaluation's data and protocol. */
export function fingerprint(...parts: unknown[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(JSON.stringify(part, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v instanceof Date ? v.toISOString() : v))).update("\u0000");
  return hash.digest("hex").slice(0, 16);
}

const TAG = {
  metric: "retail_intel.evaluation.metric",
  value: "retail_intel.evaluation.value",
  higherIsBetter: "retail_intel.evaluation.higher_is_better",
  data: "retail_intel.evaluation.data",
  decision: "retail_intel.decision",
} as const;

function evaluationOf(version: ModelVersion): Evaluation | undefined {
  const t = version.tags;
  const value = Number(t[TAG.value]);
  if (t[TAG.metric] === undefined || t[TAG.data] === undefined || !Number.isFinite(value)) return undefined;
  return { metric: t[TAG.metric]!, value, higherIsBetter: t[TAG.higherIsBetter] === "true", data: t[TAG.data]! };
}

/** Whether `challenger` beats `champion`: same metric and direction on the same data, strictly better. */
export function decide(challenger: Evaluation, champion: ModelVersion | undefined): { promote: boolean; reason: string } {
  const fmt = (x: number): string => x.toPrecision(4);
  if (champion === undefined) return { promote: true, reason: "no champion yet: the first version judged becomes it" };
  const theirs = evaluationOf(champion);
  if (theirs === undefined) return { promote: false, reason: `champion v${champion.version} carries no evaluation to compare with; it stays champion` };
  if (theirs.metric !== challenger.metric || theirs.higherIsBetter !== challenger.higherIsBetter) {
    return { promote: false, reason: `champion v${champion.version} was judged on ${theirs.metric}, this version on ${challenger.metric}: not comparable, so it stays challenger` };
  }
  if (theirs.data !== challenger.data) {
    return { promote: false, reason: `champion v${champion.version} was judged on other evaluation data (${theirs.data}, this version ${challenger.data}): not comparable, so it stays challenger` };
  }
  const better = challenger.higherIsBetter ? challenger.value > theirs.value : challenger.value < theirs.value;
  const comparison = `${challenger.metric} ${fmt(challenger.value)} against champion v${champion.version}'s ${fmt(theirs.value)} on the same data (${challenger.higherIsBetter ? "higher" : "lower"} is better)`;
  return better ? { promote: true, reason: `beats the champion: ${comparison}` } : { promote: false, reason: `does not beat the champion, so it stays challenger: ${comparison}` };
}

/**
 * Registers the model the run logged at `artifactPath` as a new version of `name` (source = the run's
 * artifact URI + path, run_id set, the evaluation and `tags` as version tags), gives it `challenger`, and
 * moves `champion` to it when {@link decide} says so. When the tracking server cannot be reached (the run
 * is keeping its data for later), nothing is registered and the decision says so.
 */
export async function registerModel(run: ActiveRun, options: RegisterModelOptions): Promise<RegistrationDecision> {
  const registry = run.store.registry;
  const { name, evaluation } = options;
  try {
    await run.flush();
    await registry.getOrCreateRegisteredModel(name, { description: options.description });
    const champion = await registry.getModelVersionByAlias(name, CHAMPION);
    const version = await registry.createModelVersion(name, {
      source: `${run.info.artifactUri.replace(/\/+$/, "")}/${options.artifactPath}`,
      runId: run.info.runId,
      tags: {
        ...options.tags,
        [TAG.metric]: evaluation.metric,
        [TAG.value]: String(evaluation.value),
        [TAG.higherIsBetter]: String(evaluation.higherIsBetter),
        [TAG.data]: evaluation.data,
      },
    });
    const { promote, reason } = decide(evaluation, champion);
    await registry.setAlias(name, CHALLENGER, version.version);
    if (promote) {
      await registry.setAlias(name, CHAMPION, version.version);
      await registry.deleteAlias(name, CHALLENGER);
    }
    await registry.setModelVersionTag(name, version.version, TAG.decision, reason);
    const theirs = champion === undefined ? undefined : evaluationOf(champion);
    const previous = champion === undefined ? undefined : { version: champion.version, ...(theirs === undefined ? {} : { value: theirs.value }) };
    return { registered: true, name, version: version.version, champion: promote, ...(previous === undefined ? {} : { previousChampion: previous }), reason };
  } catch (error) {
    if (error instanceof TrackingError && error.transient) {
      return { registered: false, name, champion: false, reason: `not registered: ${run.store.description} could not be reached (${error.message})` };
    }
    throw error;
  }
}

/** The decision as one line for a notebook, e.g. "retail-intel-forecaster v3: champion (beats the champion: ...)". */
export function describeDecision(d: RegistrationDecision): string {
  if (!d.registered) return `${d.name}: ${d.reason}`;
  return `**${d.name} v${d.version}: ${d.champion ? "champion" : "challenger"}**: ${d.reason}.`;
}
