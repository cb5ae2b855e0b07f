/** Runs the crash child in its own process and collects what it said before it ended or died. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildInput } from "./child.ts";

export interface ChildRun {
  /** Lines printed on stdout, in order. */
  lines: string[];
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));

export function runChild(input: ChildInput, timeoutMs = 120_000): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, CRASH_CHILD: JSON.stringify(input) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ lines: stdout.split("\n").filter(Boolean), stderr, code, signal });
    });
  });
}

/** The labels after `prefix` in the child's lines (e.g. the webhooks it acknowledged). */
export const saidAfter = (run: ChildRun, prefix: string) =>
  run.lines.filter((line) => line.startsWith(`${prefix} `)).map((line) => line.slice(prefix.length + 1));
