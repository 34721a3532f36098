/**
 * The small formats under the stores: PyYAML-style scalars, Python float text, MLflow's batch limits,
 * the artifact proxy path mapping, Retry-After parsing and credential redaction.
 */
import { describe, expect, it } from "vitest";
import { httpArtifactLocation } from "../src/tracking/artifacts.js";
import { newExperimentId } from "../src/tracking/names.js";
import { formatPythonFloat, parsePythonFloat } from "../src/tracking/python-float.js";
import { parseRetryAfter } from "../src/tracking/rest-client.js";
import { displayUri, redact, secretsOf } from "../src/tracking/secrets.js";
import { splitBatch } from "../src/tracking/validation.js";
import { formatYamlScalar, readYamlMapping, writeYamlMapping } from "../src/tracking/yaml.js";

describe("YAML as PyYAML safe_dump writes it", () => {
  it("quotes strings YAML 1.1 would read as another type, and nothing else", () => {
    const cases: [string, string][] = [
      ["0", "'0'"],
      ["643924227183501380", "'643924227183501380'"],
      ["1.5", "'1.5'"],
      ["yes", "'yes'"],
      ["Off", "'Off'"],
      ["null", "'null'"],
      ["~", "'~'"],
      ["", "''"],
      ["2024-01-31", "'2024-01-31'"],
      ["it's", "it's"],
      ["'q'", "'''q'''"],
      ["a: b", "'a: b'"],
      ["#x", "'#x'"],
      ["- x", "'- x'"],
      ["line\nbreak", '"line\\nbreak"'],
      ["Default", "Default"],
      ["file:///tmp/mlruns/0", "file:///tmp/mlruns/0"],
      ["ac5bb8f38ae54aeba47197e6bebb82ad", "ac5bb8f38ae54aeba47197e6bebb82ad"],
      ["1e5", "1e5"],
      ["-a", "-a"],
      ["ünïcödé 日本", "ünïcödé 日本"],
    ];
    for (const [value, yaml] of cases) expect(formatYamlScalar(value)).toBe(yaml);
    expect(formatYamlScalar(null)).toBe("null");
    expect(formatYamlScalar([])).toBe("[]");
    expect(formatYamlScalar(1700000000000)).toBe("1700000000000");
  });

  it("writes sorted keys and reads back its own output and PyYAML's folded lines and block lists", () => {
    const data = { status: 1, name: "x: 'y'", end_time: null, tags: [] as [], experiment_id: "0", note: "a\tb\n\u2028c" };
    const text = writeYamlMapping(data);
    expect(text.split("\n")[0]).toBe("end_time: null");
    expect(readYamlMapping(text)).toEqual(data);
    const pyyaml =
      "end_time: null\nexperiment_id: '12'\nname: word word word word word word word word word word word word word word word word\n  word end\n" +
      "note: 'multi\n\n  line'\ntags: []\nzz:\n- key: a\n  value: b\n";
    expect(readYamlMapping(pyyaml)).toEqual({
      end_time: null,
      experiment_id: "12",
      name: `${"word ".repeat(16)}word end`,
      note: "multi\nline",
      tags: [],
      zz: null,
    });
  });
});

describe("Python float text (metric files)", () => {
  it("formats as Python's repr and parses Python's forms", () => {
    const cases: [number, string][] = [
      [1, "1.0"],
      [0.5, "0.5"],
      [1 / 3, "0.3333333333333333"],
      [1e16, "1e+16"],
      [1e15, "1000000000000000.0"],
      [0.0001, "0.0001"],
      [0.00001, "1e-05"],
      [-2.5e-10, "-2.5e-10"],
      [123456789.125, "123456789.125"],
      [-0, "-0.0"],
      [NaN, "nan"],
      [Infinity, "inf"],
      [-Infinity, "-inf"],
      [1.7976931348623157e308, "1.7976931348623157e+308"],
    ];
    for (const [value, text] of cases) {
      expect(formatPythonFloat(value)).toBe(text);
      expect(Object.is(parsePythonFloat(text), value)).toBe(true);
    }
    expect(parsePythonFloat("NaN")).toBeNaN();
    expect(parsePythonFloat("Infinity")).toBe(Infinity);
    expect(() => parsePythonFloat("abc")).toThrow();
  });
});

describe("batch limits and ids", () => {
  it("splits by count (1000 metrics / 100 params / 100 tags / 1000 entities) and by the 1 MB body limit", () => {
    const metrics = Array.from({ length: 950 }, (_, i) => ({ key: "m", value: i, timestamp: i, step: i }));
    const params = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`p${i}`, "v"]));
    const chunks = splitBatch({ metrics, params });
    expect(chunks.map((c) => [c.params.length, c.metrics.length])).toEqual([[100, 900], [20, 50]]);

    // 100 params of 6000 characters and 100 tags of 8000 are within the counts but 1.4 MB together
    const tags = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`t${i}`, "x".repeat(8000)]));
    const longParams = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`p${i}`, "y".repeat(6000)]));
    const byBytes = splitBatch({ params: longParams, tags });
    expect(byBytes.map((c) => [c.params.length, c.tags.length])).toEqual([[100, 49], [0, 51]]);
    const kv = (e: [string, string][]) => e.map(([key, value]) => ({ key, value }));
    for (const c of byBytes) expect(JSON.stringify({ run_id: "r", params: kv(c.params), tags: kv(c.tags) }).length).toBeLessThan(1_000_000);
    expect(splitBatch({})).toEqual([]);
  });

  it("makes experiment ids as MLflow's _generate_unique_integer_id does", () => {
    for (let i = 0; i < 200; i++) expect(newExperimentId()).toMatch(/^[1-9]\d{17}$/);
  });
});

describe("artifact proxy mapping (MlflowArtifactsRepository.resolve_uri)", () => {
  it("maps mlflow-artifacts URIs onto the tracking server, keeping its base path", () => {
    expect(httpArtifactLocation("mlflow-artifacts:/1/abc/artifacts", "https://host:5000")).toEqual({ serverBase: "https://host:5000", rootPath: "1/abc/artifacts" });
    expect(httpArtifactLocation("mlflow-artifacts:/1/abc/artifacts", "https://host/mlflow")).toEqual({ serverBase: "https://host/mlflow", rootPath: "1/abc/artifacts" });
    expect(httpArtifactLocation("mlflow-artifacts://other:8080/7/r/artifacts", "https://host/mlflow")).toEqual({ serverBase: "https://other:8080/mlflow", rootPath: "7/r/artifacts" });
    expect(httpArtifactLocation("http://h:1/api/2.0/mlflow-artifacts/artifacts/2/r/artifacts", "http://x")).toEqual({ serverBase: "http://h:1", rootPath: "2/r/artifacts" });
    expect(httpArtifactLocation("s3://bucket/1/r/artifacts", "http://x")).toBeUndefined();
    expect(httpArtifactLocation("file:///srv/mlruns/1/r/artifacts", "http://x")).toBeUndefined();
    expect(httpArtifactLocation("/srv/mlruns/1/r/artifacts", "http://x")).toBeUndefined();
  });
});

describe("HTTP details", () => {
  it("parses Retry-After seconds and dates", () => {
    expect(parseRetryAfter("7")).toBe(7);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });

  it("shows URIs without credentials and redacts secrets and their encodings", () => {
    expect(displayUri("https://u:p%40ss@host:5000/base/?token=x#f")).toBe("https://host:5000/base");
    const secrets = secretsOf({ username: "ana", password: "p@ss word", token: "tok_123" });
    const text = `Basic ${Buffer.from("ana:p@ss word").toString("base64")} p@ss word ${encodeURIComponent("p@ss word")} Bearer tok_123`;
    expect(redact(text, secrets)).toBe("Basic *** *** *** Bearer ***");
  });
});
