import { readSampleManifest, SAMPLE_MANIFEST_FILE } from "../data/sample/index.js";
import { hasNoOlistFiles } from "./data-steps.js";
import { ParameterError } from "./params.js";

/** The notebook parameters that size and seed the generated sample. */
export const SAMPLE_PARAMS: readonly string[] = ["sampleOrders", "sampleSeed"];

/**
 * The error for sample parameters given while `rawDir` holds Olist files that were not generated (no
 * manifest): the sample is never written over them, so the parameters could not take effect. Undefined
 * when none was given or they can take effect.
 */
export function sampleParamsRefusal(rawDir: string, givenKeys: readonly string[]): ParameterError | undefined {
  const given = givenKeys.filter((key) => SAMPLE_PARAMS.includes(key));
  if (given.length === 0 || hasNoOlistFiles(rawDir) || readSampleManifest(rawDir) !== undefined) return undefined;
  return new ParameterError(
    `parameter ${given.map((k) => `'${k}'`).join(" and ")} cannot take effect: ${rawDir} holds Olist files that were not generated (no ${SAMPLE_MANIFEST_FILE}), and the sample is never written over them; leave the parameter out, or generate the sample into another folder with --params rawDir=data/sample`,
  );
}
