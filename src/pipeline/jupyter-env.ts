import { delimiter, join } from "node:path";

/** The kernel spec directory scripts/setup.sh installs (as scripts/env.sh puts it on JUPYTER_PATH). */
export const kernelSpecPath = (root: string): string => join(root, ".jupyter", "share", "jupyter");

/**
 * glibc malloc's settings for the kernels (the caller's own win): blocks of 1 MiB and more get their own
 * mapping, given back to the system when freed. By default that threshold rises to the size of each block
 * freed (up to 32 MiB), so the megabyte-sized score and gradient arrays of the training worker threads
 * end up in per-thread arenas that keep the memory: notebook 05 at 1M orders peaked about 0.5 GiB higher.
 * 256 KiB saved another 0.1 GiB but cost the 1M-order pipeline 15% more time in page faults
 * (docs/scaling.md). Other C libraries ignore the variable.
 */
export const KERNEL_MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: "1048576" } as const;

/** A Jupyter process's environment: the caller's, with the in-repo kernel spec first on JUPYTER_PATH (once) and KERNEL_MALLOC_ENV unless set. */
export function jupyterEnv(root: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const specs = kernelSpecPath(root);
  const current = (env["JUPYTER_PATH"] ?? "").split(delimiter).filter((p) => p !== "" && p !== specs);
  return { ...KERNEL_MALLOC_ENV, ...env, JUPYTER_PATH: [specs, ...current].join(delimiter) };
}
