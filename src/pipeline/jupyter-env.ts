import { delimiter, join } from "node:path";

/** The kernel spec directory scripts/setup.sh installs (as scripts/env.sh puts it on JUPYTER_PATH). */
export const kernelSpecPath = (root: string): string => join(root, ".jupyter", "share", "jupyter");

/** A Jupyter process's environment: the caller's, with the in-repo kernel spec first on JUPYTER_PATH (once). */
export function jupyterEnv(root: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const specs = kernelSpecPath(root);
  const current = (env["JUPYTER_PATH"] ?? "").split(delimiter).filter((p) => p !== "" && p !== specs);
  return { ...env, JUPYTER_PATH: [specs, ...current].join(delimiter) };
}
