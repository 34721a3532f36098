import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { experimentCommand } from "../src/cli/commands/experiment.js";
import { JUPYTER_PYTHON } from "../src/pipeline/execute.js";
import { storeFromEnv } from "../src/tracking/index.js";

const ROOT = join(import.meta.dirname, "..");
const jupyterReady =
  spawnSync(JUPYTER_PYTHON, ["-c", "import nbclient, nbconvert"]).status === 0 &&
  existsSync(join(ROOT, ".jupyter", "share", "jupyter", "kernels", "tslab", "kernel.json"));

describe.skipIf(!jupyterReady)("npx retail-intel experiment", () => {
  const dir = mkdtempSync(join(tmpdir(), "retail-intel-experiment-"));
  const stem = `test-${process.pid}`;
  const reports = join(ROOT, "reports", "experiments", stem);
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
    rmSync(reports, { recursive: true, force: true });
  });

  it("runs the notebook once per parameter set, each an MLflow run in one experiment, tagged with its set", async () => {
    const file = join(dir, `${stem}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        notebook: "01",
        experiment: "experiment-command-test",
        base: { rawDir: `${dir}/{sampleSeed}/raw`, sampleOrders: 800 },
        parameters: [{ sampleSeed: "a" }, { sampleSeed: "b" }],
      }),
    );
    process.env["MLFLOW_TRACKING_URI"] = join(dir, "mlruns");
    delete process.env["MLFLOW_RUN_ID"];
    expect(await experimentCommand.run({}, [file])).toBe(0);

    const store = storeFromEnv(process.env, { cwd: dir });
    const experiment = await store.getExperimentByName("experiment-command-test");
    const runs = await store.searchRuns([experiment!.experimentId]);
    expect(runs).toHaveLength(2);
    const bySet = new Map(runs.map((r) => [r.data.tags["retail_intel.param_set_index"], r]));
    expect(bySet.get("1")!.data.params["sampleSeed"]).toBe("a");
    expect(bySet.get("2")!.data.params["rawDir"]).toBe(`${dir}/b/raw`);
    expect(runs.every((r) => r.info.status === "FINISHED" && r.data.tags["retail_intel.experiment_file"] === file)).toBe(true);
    const index = readFileSync(join(reports, "index.html"), "utf8");
    expect(index).toContain("01-transform-retail-data-set-1.html");
    expect(index).toContain("01-transform-retail-data-set-2.html");
  });
});
