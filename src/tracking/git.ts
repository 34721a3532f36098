/**
 * The commit checked out at a directory, read from git's files (no git binary): finds `.git` in the
 * directory or a parent (a folder, or a file `gitdir: <path>` for worktrees/submodules), reads `HEAD`, and
 * resolves a symbolic ref through the loose ref file or `packed-refs` (in the common dir for worktrees).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

function readTrimmed(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

function findGitDir(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, ".git");
    if (existsSync(candidate)) {
      if (statSync(candidate).isDirectory()) return candidate;
      const pointer = readTrimmed(candidate);
      const match = pointer === undefined ? null : /^gitdir:\s*(.+)$/m.exec(pointer);
      if (match !== null) return resolve(dir, match[1]!.trim());
      return undefined;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function resolveRef(gitDir: string, commonDir: string, ref: string): string | undefined {
  for (const base of [gitDir, commonDir]) {
    const loose = readTrimmed(join(base, ...ref.split("/")));
    if (loose !== undefined && SHA.test(loose)) return loose;
  }
  const packed = readTrimmed(join(commonDir, "packed-refs"));
  if (packed === undefined) return undefined;
  for (const line of packed.split("\n")) {
    if (line.startsWith("#") || line.startsWith("^")) continue;
    const [sha, name] = line.trim().split(" ");
    if (name === ref && sha !== undefined && SHA.test(sha)) return sha;
  }
  return undefined;
}

/** The full commit hash at `cwd`, or undefined when it is not in a git work tree (or HEAD is unborn). */
export function readGitCommit(cwd: string): string | undefined {
  const gitDir = findGitDir(cwd);
  if (gitDir === undefined) return undefined;
  const common = readTrimmed(join(gitDir, "commondir"));
  const commonDir = common === undefined ? gitDir : resolve(gitDir, common);
  const head = readTrimmed(join(gitDir, "HEAD"));
  if (head === undefined) return undefined;
  if (SHA.test(head)) return head;
  const match = /^ref:\s*(\S+)$/.exec(head);
  return match === null ? undefined : resolveRef(gitDir, commonDir, match[1]!);
}
