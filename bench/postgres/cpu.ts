/**
 * Where the CPU went during a measured section: this node process (the core, drizzle, the
 * driver, and PGlite itself when in process) and the PostgreSQL server (every `postgres`
 * process, including reaped backends through the postmaster's child times). Read from procfs;
 * the server figure includes anything else running on the cluster at the time.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime + cutime + cstime of every process named `postgres`, in seconds; undefined off Linux. */
function postgresCpuSeconds(): number | undefined {
  let ticks = 0;
  try {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        continue; // gone since the listing
      }
      const close = stat.lastIndexOf(")");
      if (stat.slice(stat.indexOf("(") + 1, close) !== "postgres") continue;
      const fields = stat.slice(close + 2).split(" ");
      // Fields 14–17 of stat(5), counted from 3 after the command name.
      for (const i of [11, 12, 13, 14]) ticks += Number(fields[i]);
    }
  } catch {
    return undefined;
  }
  return ticks / TICKS_PER_SECOND;
}

export interface CpuSplit {
  wallSeconds: number;
  /** Cores used on average by this process. */
  nodeCores: number;
  /** Cores used on average by the server; undefined when not measured (PGlite, no procfs). */
  serverCores: number | undefined;
}

/** Starts measuring; `stop()` returns the split since the start. */
export function cpuMeter(measureServer: boolean): { stop(): CpuSplit } {
  const wall = performance.now();
  const node = process.cpuUsage();
  const server = measureServer ? postgresCpuSeconds() : undefined;
  return {
    stop() {
      const wallSeconds = (performance.now() - wall) / 1000;
      const used = process.cpuUsage(node);
      const serverNow = server === undefined ? undefined : postgresCpuSeconds();
      return {
        wallSeconds,
        nodeCores: (used.user + used.system) / 1e6 / wallSeconds,
        serverCores: server === undefined || serverNow === undefined ? undefined : (serverNow - server) / wallSeconds,
      };
    },
  };
}

/** "node 0.71 + PG 0.80 cores" for a table cell. */
export const cores = (split: CpuSplit): string =>
  `node ${split.nodeCores.toFixed(2)}${split.serverCores === undefined ? "" : ` + PG ${split.serverCores.toFixed(2)}`}`;
