/** Where a notebook run puts files for the runner to log as MLflow artifacts (chart SVGs, JSON reports). */
export const ARTIFACT_DIR_ENV = "RETAIL_INTEL_ARTIFACT_DIR";
/** File a notebook run appends its progress lines to; the runner's driver tails it and prints them live. */
export const PROGRESS_FILE_ENV = "RETAIL_INTEL_PROGRESS_FILE";
