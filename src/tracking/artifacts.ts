/**
 * Artifact helpers shared by both stores: which local files a logArtifact call uploads and where they go
 * (MLflow's log_artifact / log_artifacts), the Content-Type MLflow's HTTP repository sends, and how an
 * artifact URI maps to the server's artifact proxy (mlflow/store/artifact/mlflow_artifacts_repo.py).
 */
import { readdirSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { posix } from "node:path";
import { TrackingError } from "./errors.js";

export interface LocalArtifactFile {
  /** Absolute path of the local file. */
  localFile: string;
  /** Directory inside the run's artifact root ("" = the root), `/`-separated. */
  artifactDir: string;
  /** The file's name in the artifact store. */
  name: string;
}

/**
 * A file goes to `<artifactPath>/<its name>`; a directory's contents go under `<artifactPath>/`
 * recursively (MLflow's log_artifacts: the directory's own name is not kept).
 */
export function localArtifactFiles(localPath: string, artifactPath: string | undefined, endpoint: string): LocalArtifactFile[] {
  let stats;
  try {
    stats = statSync(localPath);
  } catch {
    throw new TrackingError(`Cannot log artifact '${localPath}': no such file or directory.`, { endpoint, errorCode: "INVALID_PARAMETER_VALUE" });
  }
  const root = artifactPath === undefined || artifactPath === "" ? "" : artifactPath.replace(/\/+$/, "");
  if (stats.isFile()) return [{ localFile: localPath, artifactDir: root, name: basename(localPath) }];
  if (!stats.isDirectory()) {
    throw new TrackingError(`Cannot log artifact '${localPath}': not a file or directory.`, { endpoint, errorCode: "INVALID_PARAMETER_VALUE" });
  }
  const out: LocalArtifactFile[] = [];
  const walk = (dir: string, rel: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && statSync(full).isDirectory());
      if (isDir) walk(full, rel === "" ? entry.name : `${rel}/${entry.name}`);
      else out.push({ localFile: full, artifactDir: [root, rel].filter((p) => p !== "").join("/"), name: entry.name });
    }
  };
  walk(localPath, "");
  return out;
}

const MIME_TYPES: Record<string, string> = {
  ".json": "application/json",
  ".txt": "text/plain",
  ".log": "text/plain",
  ".md": "text/markdown",
  ".csv": "text/csv",
  ".tsv": "text/tab-separated-values",
  ".html": "text/html",
  ".htm": "text/html",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".pdf": "application/pdf",
  ".yaml": "application/x-yaml",
  ".yml": "application/x-yaml",
  ".ipynb": "application/x-ipynb+json",
  ".js": "text/javascript",
  ".ts": "text/plain",
  ".parquet": "application/octet-stream",
  ".gz": "application/gzip",
  ".zip": "application/zip",
};

/** MLflow's `_guess_mime_type`: by extension, `application/octet-stream` when unknown. */
export function guessMimeType(fileName: string): string {
  return MIME_TYPES[extname(fileName).toLowerCase()] ?? "application/octet-stream";
}

/** Where a run's artifacts are served over HTTP: a base URL (no credentials) and the path under it. */
export interface HttpArtifactLocation {
  /** e.g. `https://host:5000/base` — the server whose `/api/2.0/mlflow-artifacts/artifacts` serves them. */
  serverBase: string;
  /** Path below `/api/2.0/mlflow-artifacts/artifacts/`, e.g. `1/<run_id>/artifacts`. */
  rootPath: string;
}

const PROXY_PREFIX = "/api/2.0/mlflow-artifacts/artifacts";

/**
 * Maps an artifact URI to the proxy endpoint, as MlflowArtifactsRepository.resolve_uri does:
 * `mlflow-artifacts:/1/abc/artifacts` with tracking `https://host/base` ->
 * `https://host/base/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts`; a host in the artifact URI
 * (`mlflow-artifacts://other:5000/...`) replaces the tracking host; the scheme is the tracking URI's.
 * An `http(s)://.../api/2.0/mlflow-artifacts/artifacts/...` URI (HttpArtifactRepository) is used as is.
 * Returns undefined for anything else (s3://, gs://, file:, a server-side path, ...).
 */
export function httpArtifactLocation(artifactUri: string, trackingBase: string): HttpArtifactLocation | undefined {
  const tracking = new URL(trackingBase);
  const trackingPath = tracking.pathname.replace(/\/+$/, "");
  if (artifactUri.startsWith("mlflow-artifacts:")) {
    const rest = artifactUri.slice("mlflow-artifacts:".length);
    let host = tracking.host;
    let path = rest;
    if (rest.startsWith("//")) {
      const slash = rest.indexOf("/", 2);
      const netloc = slash === -1 ? rest.slice(2) : rest.slice(2, slash);
      path = slash === -1 ? "" : rest.slice(slash);
      if (netloc !== "") host = netloc.replace(/^[^@]*@/, "");
    }
    const rootPath = posix.normalize(`/${path}`).replace(/^\/+|\/+$/g, "");
    return { serverBase: `${tracking.protocol}//${host}${trackingPath}`, rootPath: rootPath === "." ? "" : rootPath };
  }
  if (/^https?:\/\//.test(artifactUri)) {
    const url = new URL(artifactUri);
    const at = url.pathname.indexOf(PROXY_PREFIX);
    if (at === -1) return undefined;
    const rootPath = url.pathname.slice(at + PROXY_PREFIX.length).replace(/^\/+|\/+$/g, "");
    return { serverBase: `${url.protocol}//${url.host}${url.pathname.slice(0, at)}`, rootPath: decodeURIComponent(rootPath) };
  }
  return undefined;
}

/** `a/b c` -> `a/b%20c` (each segment encoded, slashes kept). */
export function encodePath(path: string): string {
  return path
    .split("/")
    .filter((s) => s !== "")
    .map(encodeURIComponent)
    .join("/");
}

export const ARTIFACT_PROXY_PREFIX = PROXY_PREFIX;

/** `runs:/<run_id>/<path>` -> its parts (MLflow's runs URI for a run's artifacts); undefined for other URIs. */
export function parseRunsUri(uri: string): { runId: string; path: string } | undefined {
  const match = /^runs:\/+([^/]+)\/?(.*)$/.exec(uri);
  return match === null ? undefined : { runId: match[1]!, path: match[2]! };
}
