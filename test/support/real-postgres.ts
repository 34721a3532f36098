/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temporary folder, `pg_ctl start` on a free
 * loopback port with password authentication, stopped and deleted afterwards. PostgreSQL refuses to run as
 * root, so as root the cluster belongs to the `postgres` user (created by Debian's package). Without
 * PostgreSQL's binaries the tests skip and {@link postgresSkipReason} says how to get them.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";

function binDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0]!, "bin") : undefined;
}

const runAsRoot = userInfo().uid === 0;

function postgresUser(): { uid: number; gid: number } | undefined {
  const id = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  return id.status === 0 && gid.status === 0 ? { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) } : undefined;
}

export function postgresSkipReason(): string | undefined {
  if (binDir() === undefined) return "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb): `npm run setup` installs Debian's postgresql (as root), or `apt-get install postgresql`";
  if (runAsRoot && postgresUser() === undefined) return "running as root and there is no `postgres` user to own the test cluster (Debian's postgresql package creates it)";
  return undefined;
}

export interface TestPostgres {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** postgresql://user:password@127.0.0.1:port/<database> */
  url(database: string): string;
  /** Creates an empty database. */
  createDatabase(name: string): void;
  stop(): void;
}

/** Starts a cluster with one superuser `retail` (password auth over TCP) and returns how to reach it. */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  if (bin === undefined) throw new Error(postgresSkipReason());
  const dir = mkdtempSync(join(tmpdir(), "retail-intel-pg-"));
  const data = join(dir, "data");
  const user = "retail";
  const password = "test-secret-pw";
  const pwfile = join(dir, "pw");
  writeFileSync(pwfile, password);
  const owner = runAsRoot ? postgresUser() : undefined;
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(pwfile, owner.uid, owner.gid);
  }
  chmodSync(dir, 0o700);
  const as = (cmd: string, args: string[]) =>
    owner ? spawnSync("runuser", ["-u", "postgres", "--", cmd, ...args], { encoding: "utf8" }) : spawnSync(cmd, args, { encoding: "utf8" });
  const init = as(join(bin, "initdb"), ["-D", data, "-U", user, `--pwfile=${pwfile}`, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C"]);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const start = as(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "server.log"), "-w", "-t", "60", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"]);
  if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.stderr}${start.stdout}`);
  const psql = join(bin, "psql");
  return {
    host: "127.0.0.1",
    port,
    user,
    password,
    url: (database) => `postgresql://${user}:${password}@127.0.0.1:${port}/${database}`,
    createDatabase(name) {
      const r = as(psql, ["-h", dir, "-p", String(port), "-U", user, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", `CREATE DATABASE "${name}"`]);
      if (r.status !== 0) throw new Error(`createdb ${name} failed: ${r.stderr}`);
    },
    stop() {
      as(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
