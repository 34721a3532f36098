/** Where a notebook run puts files for the runner to log as MLflow artifacts (chart SVGs, JSON reports). */
export const ARTIFACT_DIR_ENV = "RETAIL_INTEL_ARTIFACT_DIR";
