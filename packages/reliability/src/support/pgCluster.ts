/**
 * A throwaway PostgreSQL cluster of our own (initdb + pg_ctl, trust auth, loopback, a private
 * port, fsync off, as `.ci/run` starts CI's), for the faults that stop the database server: never
 * the shared server at 5432 or CI's cluster. As root the binaries run as `postgres` (initdb
 * refuses root). Removed at `destroy()` or, failing that, when this process exits.
 */
import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { onExit } from "./cleanup.ts";
import { freePort } from "./freePort.ts";

export interface PgCluster {
  /** The maintenance database's URL (superuser `postgres`). */
  readonly adminUrl: string;
  readonly port: number;
  /** Fast shutdown: open connections are cut, clients get errors until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops and removes the cluster's folder. */
  destroy(): void;
}

/** The newest installed server's binaries (Debian: /usr/lib/postgresql/<major>/bin). */
function binDir(): string {
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, "bin", "initdb"))) : [];
  const newest = majors.sort((a, b) => Number(a) - Number(b)).at(-1);
  if (!newest) throw new Error(`no PostgreSQL server binaries under ${root} (install the Debian package postgresql)`);
  return join(root, newest, "bin");
}

const isRoot = () => process.getuid?.() === 0;

const asPostgres = (bin: string, args: string[]): [string, string[]] =>
  isRoot() ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];

/** Synchronous: for set-up and for the exit hook, which cannot wait. */
function run(bin: string, args: string[]): void {
  const [file, argv] = asPostgres(bin, args);
  execFileSync(file, argv, { stdio: ["ignore", "ignore", "pipe"], timeout: 60_000 });
}

/** Without blocking this process (the load keeps going while the server stops and starts). */
async function runAsync(bin: string, args: string[]): Promise<void> {
  const [file, argv] = asPostgres(bin, args);
  await promisify(execFile)(file, argv, { timeout: 60_000 });
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = binDir();
  const dataDir = mkdtempSync(join(tmpdir(), "voxanne-reliability-pg-"));
  if (isRoot()) execFileSync("chown", ["postgres:postgres", dataDir]);
  else chownSync(dataDir, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
  const port = await freePort();
  const pgCtl = join(bin, "pg_ctl");
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dataDir} -c fsync=off -c max_connections=200`;

  const startArgs = ["-D", dataDir, "-l", join(dataDir, "server.log"), "-w", "-o", options, "start"];
  let removed = false;
  const destroy = () => {
    if (removed) return;
    removed = true;
    try {
      run(pgCtl, ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
    } catch {
      // Already stopped.
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const unregister = onExit(destroy);

  run(join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  run(pgCtl, startArgs);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: () => runAsync(pgCtl, ["-D", dataDir, "-m", "fast", "-w", "stop"]),
    start: () => runAsync(pgCtl, startArgs),
    destroy() {
      destroy();
      unregister();
    },
  };
}
