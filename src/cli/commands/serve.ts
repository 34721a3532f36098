import { createServeMetrics } from "../../serve/metrics.js";
import { createHandler, type ServedModels } from "../../serve/app.js";
import { loadForecast, loadRecommender, loadSegments } from "../../serve/served-models.js";
import { listen } from "../../serve/server.js";
import { positiveInteger, UsageError, type Command } from "../command.js";

export const serveCommand: Command = {
  name: "serve",
  brief: "HTTP API: recommendations, segments and the forecast, with Prometheus metrics",
  usage: "serve [--port 8080] [--host 127.0.0.1] [--model DIR|models:/...] [--forecast FILE|models:/...] [--segments DIR|models:/...]",
  summary:
    "Serve the models over HTTP (JSON): GET /recommendations/{customer_unique_id}?k=10 (two-tower+prior over the whole catalogue; an unknown customer gets the cold-start answer, \"coldStart\": true), GET /segments/{customer_unique_id} (rule segment, cluster, R/F/M and scores), GET /forecast?days=30 (the latest forecast with its intervals), GET /health (models, versions, load times) and GET /metrics (Prometheus: requests by route and status, latency histogram, model versions, process memory). Each model comes from a local path or a registered model, e.g. --model models:/retail-intel-two-tower@champion, resolved through MLFLOW_TRACKING_URI's registry. Bad input gets a 4xx with a JSON error; SIGTERM or Ctrl-C finishes the requests in flight and exits 0.",
  options: {
    port: { type: "string", valueName: "PORT", description: "port to listen on (0 = any free port)", default: "8080" },
    host: { type: "string", valueName: "HOST", description: "address to bind (127.0.0.1: this machine only; 0.0.0.0: every interface)", default: "127.0.0.1" },
    model: { type: "string", valueName: "DIR|URI", description: "two-tower+prior model folder (recommend-eval's DIR/model) or models:/retail-intel-two-tower@champion" },
    segments: { type: "string", valueName: "DIR|URI", description: "segment's output folder (segments.parquet), models:/retail-intel-segmentation@champion, or the PostgreSQL store (postgresql://...) holding the segments table" },
    forecast: { type: "string", valueName: "FILE|URI", description: "forecast's FORECAST.csv (with its .json) or models:/retail-intel-forecaster@champion" },
  },
  async run(values) {
    const port = values["port"] === "0" ? 0 : positiveInteger(values["port"] ?? "8080", "port");
    if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const host = typeof values["host"] === "string" ? values["host"] : "127.0.0.1";
    const specs = { model: values["model"], segments: values["segments"], forecast: values["forecast"] };
    if (Object.values(specs).every((v) => typeof v !== "string")) throw new UsageError("give at least one of --model, --segments, --forecast");
    const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
    const models: ServedModels = {
      ...(str(specs.model) === undefined ? {} : { recommender: await loadRecommender(str(specs.model)!) }),
      ...(str(specs.segments) === undefined ? {} : { segments: await loadSegments(str(specs.segments)!) }),
      ...(str(specs.forecast) === undefined ? {} : { forecast: await loadForecast(str(specs.forecast)!) }),
    };
    const metrics = createServeMetrics();
    const loaded = [models.recommender?.info, models.segments?.info, models.forecast?.info].filter((i) => i !== undefined);
    metrics.setModels(loaded);
    const log = (line: string): void => {
      process.stderr.write(`[serve] ${line}\n`);
    };
    const running = await listen(createHandler(models, metrics, { log }), host, port);
    for (const info of loaded) process.stdout.write(`serving ${info.kind}: ${info.name} version ${info.version}\n`);
    process.stdout.write(`listening on ${running.url} (GET /recommendations/{id}?k=10, /segments/{id}, /forecast?days=30, /health, /metrics); Ctrl-C or SIGTERM stops\n`);
    await new Promise<void>((resolve) => {
      const stop = (signal: string): void => {
        process.off("SIGTERM", onTerm);
        process.off("SIGINT", onInt);
        log(`${signal}: finishing requests in flight`);
        void running.close().then(resolve);
      };
      const onTerm = (): void => stop("SIGTERM");
      const onInt = (): void => stop("SIGINT");
      process.on("SIGTERM", onTerm);
      process.on("SIGINT", onInt);
    });
    log("stopped");
    return 0;
  },
};
