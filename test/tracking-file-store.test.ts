/**
 * The local file store: what it writes must be MLflow's FileStore layout (mlflow/store/tracking/file_store.py),
 * checked here with a small reader of our own that follows that layout, independent of src/tracking's reader.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileStore, TrackingError, startRun, storeFromEnv } from "../src/tracking/index.js";
import { readGitCommit } from "../src/tracking/git.js";

// ------------------------------------------------------------------ a reader that follows MLflow's layout

type Scalar = string | number | null | [];

/** meta.yaml as PyYAML safe_dump writes flat mappings: `key: value`, one a line. */
function readMeta(path: string): { keys: string[]; values: Record<string, Scalar> } {
  const keys: string[] = [];
  const values: Record<string, Scalar> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line === "") continue;
    const m = /^([a-z_]+): (.*)$/.exec(line);
    if (!m) throw new Error(`unexpected meta.yaml line: ${line}`);
    const raw = m[2]!;
    keys.push(m[1]!);
    values[m[1]!] =
      raw === "null" ? null : raw === "[]" ? [] : /^-?\d+$/.test(raw) ? Number(raw) : raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw;
  }
  return { keys, values };
}

/** metrics/<key>: `<timestamp> <value> <step>` lines, as FileStore._get_metric_from_line parses them. */
function readMetricLines(path: string): { timestamp: number; value: string; step: number }[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const [ts, value, step] = l.split(" ");
      return { timestamp: Number(ts), value: value!, step: Number(step) };
    });
}

function allFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

const RUN_META_KEYS_AT_CREATE = [
  "artifact_uri", "deleted_time", "end_time", "entry_point_name", "experiment_id", "lifecycle_stage", "run_id", "run_name",
  "run_uuid", "source_name", "source_type", "source_version", "start_time", "status", "tags", "user_id",
];

let cwd: string;
let root: string;
let store: FileStore;
let warnings: string[];

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "tracking-fs-"));
  root = join(cwd, "mlruns");
  warnings = [];
  store = new FileStore(root, { warn: (m) => warnings.push(m), env: { USER: "ana" } });
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

async function caught(promise: Promise<unknown>): Promise<TrackingError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TrackingError);
    return error as TrackingError;
  }
  throw new Error("expected a TrackingError");
}

describe("file store layout (as file_store.py writes it)", () => {
  it("creates the root with .trash and the Default experiment 0, and new experiments with 18-digit random ids", async () => {
    const id = await store.getOrCreateExperiment("Retail forecasting");
    expect(existsSync(join(root, ".trash"))).toBe(true);
    const def = readMeta(join(root, "0", "meta.yaml"));
    expect(def.keys).toEqual(["artifact_location", "creation_time", "experiment_id", "last_update_time", "lifecycle_stage", "name"]);
    expect(def.values).toMatchObject({ experiment_id: "0", name: "Default", lifecycle_stage: "active", artifact_location: `file://${root}/0` });
    expect(readFileSync(join(root, "0", "meta.yaml"), "utf8")).toContain("experiment_id: '0'\n");

    // name_utils._generate_unique_integer_id: 18 digits, no leading zero (not max+1)
    expect(id).toMatch(/^[1-9]\d{17}$/);
    const meta = readMeta(join(root, id, "meta.yaml"));
    expect(meta.values).toMatchObject({ experiment_id: id, name: "Retail forecasting", artifact_location: `file://${root}/${id}` });
    expect(typeof meta.values.creation_time).toBe("number");
    expect(meta.values.last_update_time).toBe(meta.values.creation_time);
    expect(await store.getOrCreateExperiment("Retail forecasting")).toBe(id);
    expect((await caught(store.createExperiment("Retail forecasting"))).errorCode).toBe("RESOURCE_ALREADY_EXISTS");

    const tagged = await store.createExperiment("with tags", { team: "growth" });
    expect(readFileSync(join(root, tagged, "tags", "team"), "utf8")).toBe("growth");
  });

  it("gives Default id 0 when the root exists without it (like the repository's mlruns/ with a README)", async () => {
    mkdirSync(root);
    writeFileSync(join(root, "README.md"), "MLflow store\n");
    expect(await store.getOrCreateExperiment("Default")).toBe("0");
    expect(readMeta(join(root, "0", "meta.yaml")).values.name).toBe("Default");
  });

  it("writes a run's meta.yaml with MLflow's fields, order and types, and updates it", async () => {
    const id = await store.getOrCreateExperiment("exp");
    const info = await store.createRun(id, { runName: "first run", startTime: 1_700_000_000_000, tags: { "mlflow.user": "ana" } });
    expect(info.runId).toMatch(/^[0-9a-f]{32}$/);
    const runDir = join(root, id, info.runId);
    const created = readMeta(join(runDir, "meta.yaml"));
    expect(created.keys).toEqual(RUN_META_KEYS_AT_CREATE);
    expect(created.values).toEqual({
      artifact_uri: `file://${root}/${id}/${info.runId}/artifacts`,
      deleted_time: null,
      end_time: null,
      entry_point_name: "",
      experiment_id: id,
      lifecycle_stage: "active",
      run_id: info.runId,
      run_name: "first run",
      run_uuid: info.runId,
      source_name: "",
      source_type: 4,
      source_version: "",
      start_time: 1_700_000_000_000,
      status: 1,
      tags: [],
      user_id: "ana",
    });
    for (const sub of ["metrics", "params", "artifacts", "tags"]) expect(statSync(join(runDir, sub)).isDirectory()).toBe(true);
    expect(readFileSync(join(runDir, "tags", "mlflow.runName"), "utf8")).toBe("first run");

    await store.updateRun(info.runId, "FINISHED", 1_700_000_005_000);
    const updated = readMeta(join(runDir, "meta.yaml"));
    // _overwrite_run_info drops deleted_time unless the run is deleted
    expect(updated.keys).toEqual(RUN_META_KEYS_AT_CREATE.filter((k) => k !== "deleted_time"));
    expect(updated.values).toMatchObject({ status: 3, end_time: 1_700_000_005_000 });
    await store.updateRun(info.runId, "KILLED");
    expect(readMeta(join(runDir, "meta.yaml")).values).toMatchObject({ status: 5, end_time: 1_700_000_005_000 });

    await store.setTag(info.runId, "mlflow.runName", "renamed");
    expect(readMeta(join(runDir, "meta.yaml")).values.run_name).toBe("renamed");
    expect((await store.getRun(info.runId)).info.runName).toBe("renamed");
  });

  it("appends metric lines `<timestamp> <python float> <step>`, nests keys with / and reads the latest back", async () => {
    const { runId, experimentId } = await store.createRun(await store.getOrCreateExperiment("m"), {});
    const ts = 1_700_000_000_000;
    await store.logBatch(runId, {
      metrics: [
        { key: "loss/train", value: 1, timestamp: ts, step: 0 },
        { key: "loss/train", value: 0.5, timestamp: ts + 1, step: 1 },
        { key: "tiny", value: 0.00001, timestamp: ts, step: 0 },
        { key: "huge", value: 1e16, timestamp: ts, step: 0 },
        { key: "nan", value: NaN, timestamp: ts, step: 0 },
        { key: "inf", value: -Infinity, timestamp: ts, step: 0 },
      ],
    });
    await store.logBatch(runId, { metrics: [{ key: "loss/train", value: 0.25, timestamp: ts + 2, step: 2 }, { key: "loss/train", value: 9, timestamp: ts + 3, step: 1 }] });
    const metricsDir = join(root, experimentId, runId, "metrics");
    expect(readFileSync(join(metricsDir, "loss", "train"), "utf8")).toBe(
      `${ts} 1.0 0\n${ts + 1} 0.5 1\n${ts + 2} 0.25 2\n${ts + 3} 9.0 1\n`,
    );
    expect(readMetricLines(join(metricsDir, "tiny"))[0]!.value).toBe("1e-05");
    expect(readMetricLines(join(metricsDir, "huge"))[0]!.value).toBe("1e+16");
    expect(readMetricLines(join(metricsDir, "nan"))[0]!.value).toBe("nan");
    expect(readMetricLines(join(metricsDir, "inf"))[0]!.value).toBe("-inf");
    const { metrics } = (await store.getRun(runId)).data;
    // latest = max by (step, timestamp, value): step 2 wins over the later timestamp at step 1
    expect(metrics["loss/train"]).toBe(0.25);
    expect(metrics.nan).toBeNaN();
    expect(metrics.inf).toBe(-Infinity);
    expect(metrics.tiny).toBe(0.00001);
  });

  it("writes params and tags without a trailing newline; params are immutable and a conflict writes nothing", async () => {
    const { runId, experimentId } = await store.createRun(await store.getOrCreateExperiment("p"), {});
    const runDir = join(root, experimentId, runId);
    await store.logBatch(runId, { params: { alpha: "0.05", "model/kind": "prophet" }, tags: { "mlflow.note.content": "multi\nline" } });
    expect(readFileSync(join(runDir, "params", "alpha"), "utf8")).toBe("0.05");
    expect(readFileSync(join(runDir, "params", "model", "kind"), "utf8")).toBe("prophet");
    expect(readFileSync(join(runDir, "tags", "mlflow.note.content"), "utf8")).toBe("multi\nline");
    await store.logBatch(runId, { params: { alpha: "0.05" } }); // same value: fine

    const error = await caught(store.logBatch(runId, { params: { beta: "1", alpha: "0.1" } }));
    expect(error.errorCode).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toMatch(/Changing param values is not allowed.*alpha/);
    expect(existsSync(join(runDir, "params", "beta"))).toBe(false);
    expect((await store.getRun(runId)).data.params).toEqual({ alpha: "0.05", "model/kind": "prophet" });
  });

  it("rejects invalid keys before writing anything", async () => {
    const { runId, experimentId } = await store.createRun(await store.getOrCreateExperiment("v"), {});
    const runDir = join(root, experimentId, runId);
    const before = allFiles(runDir);
    for (const key of ["a:b", "../escape", "a//b", "/abs", "sp\u00e4ce ok?"]) {
      const error = await caught(store.logBatch(runId, { metrics: [{ key: "fine", value: 1, timestamp: 1, step: 0 }], tags: { [key]: "x" } }));
      expect(error.message).toMatch(/Invalid tag name/);
    }
    expect(allFiles(runDir)).toEqual(before);
    await store.logBatch(runId, { params: { "unicode_ä_名前 ok-1.5/x": "y" } }); // Python's \w is Unicode-aware
  });

  it("copies artifacts (a file, a directory's contents) under the run's artifact_uri and lists them", async () => {
    const { runId, experimentId } = await store.createRun(await store.getOrCreateExperiment("a"), {});
    writeFileSync(join(cwd, "report.html"), "<html/>");
    mkdirSync(join(cwd, "figs", "deep"), { recursive: true });
    writeFileSync(join(cwd, "figs", "a.svg"), "<svg/>");
    writeFileSync(join(cwd, "figs", "deep", "b.png"), "png");
    await store.logArtifact(runId, join(cwd, "report.html"));
    await store.logArtifact(runId, join(cwd, "figs"), "figures");
    const artifacts = join(root, experimentId, runId, "artifacts");
    expect(allFiles(artifacts)).toEqual(["figures/a.svg", "figures/deep/b.png", "report.html"]);
    expect(await store.listArtifacts(runId)).toEqual([
      { path: "figures", isDir: true },
      { path: "report.html", isDir: false, fileSize: 7 },
    ]);
    expect(await store.listArtifacts(runId, "figures/deep")).toEqual([{ path: "figures/deep/b.png", isDir: false, fileSize: 3 }]);
    expect((await caught(store.logArtifact(runId, join(cwd, "missing.txt")))).message).toMatch(/no such file/);
    expect((await caught(store.logArtifact(runId, join(cwd, "report.html"), "../out"))).message).toMatch(/Invalid artifact path/);
  });

  it("leaves no temporary files behind after atomic writes", async () => {
    const run = await startRun({ experimentName: "atomic", env: {}, cwd });
    run.logParams({ a: 1, b: "two" });
    run.setTags({ "x/y": "z" });
    for (let i = 0; i < 50; i++) run.logMetric("m", i, i);
    writeFileSync(join(cwd, "f.txt"), "f");
    await run.logArtifact(join(cwd, "f.txt"), "dir");
    await run.end();
    const leftovers = allFiles(root).filter((f) => f.split("/").some((part) => part.startsWith(".tmp-")));
    expect(leftovers).toEqual([]);
    expect(existsSync(join(root, ".experiment-lock"))).toBe(false);
  });

  it("creates one experiment when several callers race for the same name", async () => {
    const other = new FileStore(root);
    const ids = await Promise.all([store, other, store, other, store].map((s) => s.getOrCreateExperiment("raced")));
    expect(new Set(ids).size).toBe(1);
    const named = readdirSync(root).filter((d) => existsSync(join(root, d, "meta.yaml")) && readMeta(join(root, d, "meta.yaml")).values.name === "raced");
    expect(named).toHaveLength(1);
  });
});

describe("file store search", () => {
  it("filters on tags, params, attributes and metrics, orders, and rejects what it does not support", async () => {
    const id = await store.getOrCreateExperiment("search");
    const make = async (name: string, params: Record<string, string>, metric: number, status: "FINISHED" | "FAILED", start: number) => {
      const info = await store.createRun(id, { runName: name, startTime: start, tags: { "my tag": name.toUpperCase() } });
      await store.logBatch(info.runId, { params, metrics: [{ key: "rmse", value: metric, timestamp: start, step: 0 }] });
      await store.updateRun(info.runId, status, start + 1);
      return info.runId;
    };
    await make("a", { model: "prophet" }, 3, "FINISHED", 100);
    await make("b", { model: "naive" }, 5, "FINISHED", 200);
    await make("c", { model: "prophet" }, 1, "FAILED", 300);
    const names = async (filter?: string, orderBy?: string[]) => (await store.searchRuns([id], { filter, orderBy })).map((r) => r.info.runName);

    expect(await names()).toEqual(["c", "b", "a"]); // MLflow's default: start_time DESC
    expect(await names("tags.`my tag` = 'B'")).toEqual(["b"]);
    expect(await names('tags."my tag" != \'B\'')).toEqual(["c", "a"]);
    expect(await names("params.model = 'prophet'")).toEqual(["c", "a"]);
    expect(await names("attributes.status = 'FINISHED'")).toEqual(["b", "a"]);
    expect(await names("params.model = 'prophet' AND attributes.status = 'FINISHED'")).toEqual(["a"]);
    expect(await names("metrics.rmse < 4 and tags.mlflow.runName LIKE '%'")).toEqual(["c", "a"]);
    expect(await names("attributes.run_name ILIKE 'B'")).toEqual(["b"]);
    expect(await names(undefined, ["metrics.rmse ASC"])).toEqual(["c", "a", "b"]);
    expect(await names(undefined, ["params.model DESC", "attributes.start_time ASC"])).toEqual(["a", "c", "b"]);
    expect((await store.searchRuns([id], { maxResults: 2 })).length).toBe(2);

    for (const bad of ["params.model = 'a' OR params.model = 'b'", "metrics.rmse = 'x'", "datasets.name = 'x'", "params.model IN ('a')"]) {
      const error = await caught(store.searchRuns([id], { filter: bad }));
      expect(error.errorCode).toBe("INVALID_PARAMETER_VALUE");
      expect(error.message).toMatch(/local file store search supports/);
    }
  });
});

describe("startRun on the file store", () => {
  it("logs a notebook run with system tags including the git commit read from .git files", async () => {
    const repo = join(cwd, "repo");
    mkdirSync(join(repo, ".git", "refs", "heads"), { recursive: true });
    writeFileSync(join(repo, ".git", "HEAD"), "ref: refs/heads/main\n");
    writeFileSync(join(repo, ".git", "refs", "heads", "main"), `${"a1".repeat(20)}\n`);
    const run = await startRun({
      experimentName: "nb",
      runName: "04-rfm",
      tags: { "mlflow.source.name": "notebooks/04-rfm-segmentation.ipynb", "mlflow.source.type": "NOTEBOOK", "mlflow.note.content": "RFM" },
      env: { USER: "ana" },
      cwd: repo,
    });
    expect(run.store.description).toBe(`local file store ${join(repo, "mlruns")}`);
    run.logMetric("silhouette", 0.41);
    await run.end();
    const tagsDir = join(repo, "mlruns", run.info.experimentId, run.info.runId, "tags");
    const tags = Object.fromEntries(allFiles(tagsDir).map((k) => [k, readFileSync(join(tagsDir, k), "utf8")]));
    expect(tags).toEqual({
      "mlflow.runName": "04-rfm",
      "mlflow.user": "ana",
      "mlflow.source.name": "notebooks/04-rfm-segmentation.ipynb",
      "mlflow.source.type": "NOTEBOOK",
      "mlflow.note.content": "RFM",
      "mlflow.source.git.commit": "a1".repeat(20),
    });
    expect(readMeta(join(repo, "mlruns", run.info.experimentId, run.info.runId, "meta.yaml")).values.status).toBe(3);
  });

  it("uses MLFLOW_EXPERIMENT_NAME, MLFLOW_TRACKING_URI paths and file: URIs", async () => {
    const run = await startRun({ env: { MLFLOW_TRACKING_URI: "file:./elsewhere", MLFLOW_EXPERIMENT_NAME: "from env" }, cwd });
    await run.end();
    expect(run.store.description).toBe(`local file store ${join(cwd, "elsewhere")}`);
    expect((await run.store.getExperimentByName("from env"))?.experimentId).toBe(run.info.experimentId);
    expect(storeFromEnv({ MLFLOW_TRACKING_URI: `file://${join(cwd, "x")}` }).description).toBe(`local file store ${join(cwd, "x")}`);
    expect(storeFromEnv({ MLFLOW_TRACKING_URI: "rel/path" }, { cwd }).description).toBe(`local file store ${join(cwd, "rel", "path")}`);
    expect(storeFromEnv({}, { cwd }).location).toBe(join(cwd, "mlruns"));
  });
});

describe("git commit from .git files", () => {
  it("reads a detached HEAD, a loose ref, packed-refs, and a worktree's gitdir pointer; none outside a repository", () => {
    const g = join(cwd, "g");
    mkdirSync(join(g, ".git"), { recursive: true });
    writeFileSync(join(g, ".git", "HEAD"), `${"b".repeat(40)}\n`);
    expect(readGitCommit(join(g))).toBe("b".repeat(40));

    writeFileSync(join(g, ".git", "HEAD"), "ref: refs/heads/feature/x\n");
    writeFileSync(join(g, ".git", "packed-refs"), `# pack-refs with: peeled fully-peeled sorted\n${"c".repeat(40)} refs/heads/feature/x\n^${"d".repeat(40)}\n`);
    mkdirSync(join(g, "sub", "dir"), { recursive: true });
    expect(readGitCommit(join(g, "sub", "dir"))).toBe("c".repeat(40));

    const wt = join(cwd, "wt");
    mkdirSync(join(g, ".git", "worktrees", "wt"), { recursive: true });
    mkdirSync(wt);
    writeFileSync(join(wt, ".git"), `gitdir: ${join(g, ".git", "worktrees", "wt")}\n`);
    writeFileSync(join(g, ".git", "worktrees", "wt", "HEAD"), "ref: refs/heads/feature/x\n");
    writeFileSync(join(g, ".git", "worktrees", "wt", "commondir"), "../..\n");
    expect(readGitCommit(wt)).toBe("c".repeat(40));

    writeFileSync(join(g, ".git", "HEAD"), "ref: refs/heads/unborn\n");
    expect(readGitCommit(g)).toBeUndefined();
    expect(readGitCommit(tmpdir())).toBeUndefined();
  });
});
