import { spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Debian's Chromium (`npm run setup` installs it); never a browser downloaded by Playwright. */
export const CHROMIUM = "/usr/bin/chromium";

/** Why headless-Chromium tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing`;
  const probe = spawnSync(CHROMIUM, ["--version"], { encoding: "utf8", timeout: 30_000 });
  return probe.status === 0 ? undefined : `${CHROMIUM} --version failed: ${(probe.stderr || probe.error?.message || "").trim()}`;
}

/** Headless Chromium with a fresh profile in a new folder inside `parentDir` (the caller removes it). */
export async function launchChromium(parentDir: string): Promise<BrowserContext> {
  const profile = mkdtempSync(join(parentDir, "chromium-profile-"));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Polls `condition` every `intervalMs` until it returns a value other than undefined; throws after `timeoutMs`. */
export async function waitFor<T>(what: string, condition: () => T | undefined, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves with the exit code once `child` has exited (at once if it already has). */
export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}
