/**
 * The real server as a child process (`node --import tsx serverEntry.ts`: one process, so its pid
 * is the server's, for SIGKILL and for its RSS), on a fixed loopback port so that a restart after
 * a kill answers at the same address. Its output goes to a log file, shown when it fails to start.
 */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { onExit } from "./cleanup.ts";

const ENTRY = fileURLToPath(new URL("./serverEntry.ts", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** The child's resident set size in bytes (`VmRSS` of /proc/<pid>/status). */
  rssBytes(): number;
  /** SIGKILL: no drain, no clean-up, as a crash or the OOM killer would. */
  kill(): Promise<void>;
  /** SIGTERM: the server drains and exits. */
  stop(): Promise<void>;
  /** The last `lines` of its output. */
  logTail(lines?: number): string;
  /** Null while it runs; else how it ended and the end of its output (a crash's stack). */
  death(): string | null;
}

export interface ServerProcessOptions {
  port: number;
  env: Record<string, string>;
  logFile: string;
  /** How long to wait for /health (default 60 s: tsx compiles the workspace on first start). */
  startTimeoutMs?: number;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once("exit", () => resolve()));

export function readRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const log = openSync(options.logFile, "a");
  const child = spawn(process.execPath, ["--import", "tsx", ENTRY], {
    cwd: PACKAGE_DIR,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(options.port),
      LOG_LEVEL: "warn",
      ...options.env,
    },
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  const unregister = onExit(() => child.kill("SIGKILL"));
  const gone = exited(child).then(unregister);
  const logTail = (lines = 40) => {
    try {
      return readFileSync(options.logFile, "utf8").split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited at start (${child.exitCode ?? child.signalCode}):\n${logTail()}`);
    }
    const healthy = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server did not answer /health in time:\n${logTail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    pid: child.pid ?? 0,
    rssBytes: () => readRss(child.pid ?? 0),
    async kill() {
      child.kill("SIGKILL");
      await gone;
    },
    async stop() {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await gone;
      clearTimeout(timer);
    },
    logTail,
    death() {
      const how = child.exitCode ?? child.signalCode;
      if (how === null) return null;
      const crash = logTail(200)
        .split("\n")
        .filter((line) => !line.startsWith("{"))
        .join("\n")
        .trim();
      return `the server process exited (${how})${crash ? `:\n${crash}` : ""}`;
    },
  };
}
