import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFilesAtomically } from "../src/io/atomic-write.js";
import { FileError } from "../src/io/file-error.js";

const root = mkdtempSync(join(tmpdir(), "retail-intel-atomic-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const text = (path: string, content: string) => ({ path, write: (temp: string) => writeFileSync(temp, content) });
const failing = (path: string) => ({
  path,
  write: (temp: string) => {
    writeFileSync(temp, "half");
    throw new Error("disk full");
  },
});

describe("writeFilesAtomically", () => {
  it("refuses a target that is a folder before writing any file", () => {
    const dir = mkdtempSync(join(root, "folder-target-"));
    mkdirSync(join(dir, "b.csv"));
    let caught: unknown;
    try {
      writeFilesAtomically([text(join(dir, "a.csv"), "a"), text(join(dir, "b.csv"), "b")]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FileError);
    expect((caught as FileError).message).toBe(`output file ${join(dir, "b.csv")} is a folder, not a file`);
    expect(readdirSync(dir)).toEqual(["b.csv"]);
  });

  it("refuses a target inside a file, naming the file in the way", () => {
    const file = join(root, "plain-file");
    writeFileSync(file, "x");
    expect(() => writeFilesAtomically([text(join(file, "deeper", "a.csv"), "a")])).toThrow(`cannot create output file ${join(file, "deeper", "a.csv")}: ${file} is a file, not a folder`);
    expect(readFileSync(file, "utf8")).toBe("x");
  });

  it("on a failed write removes its temporary files and the folders it created", () => {
    const base = mkdtempSync(join(root, "created-"));
    const out = join(base, "new", "nested");
    expect(() => writeFilesAtomically([text(join(out, "a.csv"), "a"), failing(join(out, "b.csv"))])).toThrow("disk full");
    expect(readdirSync(base)).toEqual([]);
  });

  it("on a failed write keeps a folder that was there and the files already in it", () => {
    const dir = mkdtempSync(join(root, "existing-"));
    writeFileSync(join(dir, "a.csv"), "old");
    expect(() => writeFilesAtomically([text(join(dir, "a.csv"), "new"), failing(join(dir, "b.csv"))])).toThrow("disk full");
    expect(readdirSync(dir)).toEqual(["a.csv"]);
    expect(readFileSync(join(dir, "a.csv"), "utf8")).toBe("old");
  });

  it("writes every file when nothing fails, leaving no temporary file", () => {
    const out = join(root, "ok", "sub");
    writeFilesAtomically([text(join(out, "a.csv"), "a"), text(join(out, "b.csv"), "b")]);
    expect(readdirSync(out).sort()).toEqual(["a.csv", "b.csv"]);
    expect(existsSync(join(out, "a.csv"))).toBe(true);
  });
});
