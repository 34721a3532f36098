/**
 * The serving API's Prometheus metrics, on prom-client (the Prometheus client for Node that Prometheus'
 * own docs list): its text exposition, histogram buckets and process/heap collectors are what Grafana
 * dashboards expect, without our own exposition-format code. One registry per server, not the global one.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Latency buckets (seconds) around the <10 ms target for recommendations: 0.5 ms .. 1 s. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export interface LoadedModelInfo {
  /** What the model serves: "recommendations", "segments" or "forecast". */
  readonly kind: string;
  readonly name: string;
  readonly version: string;
  /** ISO time it was loaded. */
  readonly loadedAt: string;
}

export interface ServeMetrics {
  readonly registry: Registry;
  /** Records one answered request under its route template (never the raw path: ids would explode the label set). */
  observe(route: string, method: string, status: number, seconds: number): void;
  setModels(models: readonly LoadedModelInfo[]): void;
}

export function createServeMetrics(): ServeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry }); // process_resident_memory_bytes, nodejs_heap_size_used_bytes, ... under their usual names
  const requests = new Counter({
    name: "retail_intel_http_requests_total",
    help: "HTTP requests answered, by route template, method and status code",
    labelNames: ["route", "method", "status"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "retail_intel_http_request_duration_seconds",
    help: "Time from request to the end of the answer, by route template",
    labelNames: ["route"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const modelInfo = new Gauge({
    name: "retail_intel_model_info",
    help: "The models being served: 1 per loaded model, with its registered name and version",
    labelNames: ["kind", "name", "version", "loaded_at"] as const,
    registers: [registry],
  });
  return {
    registry,
    observe(route, method, status, seconds) {
      requests.inc({ route, method, status: String(status) });
      latency.observe({ route }, seconds);
    },
    setModels(models) {
      modelInfo.reset();
      for (const m of models) modelInfo.set({ kind: m.kind, name: m.name, version: m.version, loaded_at: m.loadedAt }, 1);
    },
  };
}
