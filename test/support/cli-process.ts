import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { vi } from "vitest";
import { main } from "../../src/cli/main.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "retail-intel.js");

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npx retail-intel ...args` through the real entry point in a fresh Node process. */
export function spawnCli(cwd: string, ...args: string[]): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd, env: { ...process.env, RETAIL_INTEL_DEBUG: "" } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file and folder under `dir` (hidden ones included, e.g. `.tmp-*`), relative and sorted; [] when it does not exist. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).map((p) => relative(dir, join(dir, p))).sort();
}

/** Runs the CLI in this process (faster than spawnCli), capturing what it writes. */
export async function runMain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
