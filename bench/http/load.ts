/**
 * The load generator, in its own process (forked from the bench, as the baselines ran autocannon
 * apart from the server): `runLoad(job)` forks this file, which runs autocannon through its API
 * and sends back status counts and per-response latencies (autocannon's own table has no p95).
 */
import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { VapiWebhookAuth } from "@voxanne/core";
import autocannon from "autocannon";
import { signedReport } from "./payload.ts";

export interface LoadJob {
  url: string;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  /** POST bodies: a signed end-of-call report per request from this template, or a static body. */
  report?: { template: string; auth: VapiWebhookAuth; prefix: string };
  body?: string;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Response times in ms, one per response. */
  latencies: number[];
}

function runHere(job: LoadJob): Promise<LoadResult> {
  let n = 0;
  // Ids unique to this run: a warm-up's call ids again would be deduplicated, not stored.
  const runId = randomUUID();
  const latencies: number[] = [];
  const { report } = job;
  const instance = autocannon(
    {
      url: job.url,
      method: job.method,
      connections: job.connections,
      pipelining: 1,
      duration: job.seconds,
      headers: { "content-type": "application/json", ...job.headers },
      ...(job.body !== undefined && { body: job.body }),
      // autocannon reads setupRequest per entry of `requests`, not at the top level.
      ...(report && {
        requests: [
          {
            setupRequest: (request: autocannon.Request) => {
              const { body, headers } = signedReport(report.template, report.auth, n++, `${report.prefix}-${runId}`);
              return { ...request, body, headers: { ...request.headers, ...headers } };
            },
          },
        ],
      }),
    },
    () => {},
  );
  instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  return new Promise((resolve, reject) => {
    instance.once("done", (result) =>
      resolve({
        requests: result.requests.total,
        seconds: result.duration,
        ok: result["2xx"],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        latencies,
      }),
    );
    instance.once("error", reject);
  });
}

/** Runs `job` in a child process and resolves with what it measured. */
export function runLoad(job: LoadJob): Promise<LoadResult> {
  // Forked with the parent's exec arguments, so tsx loads this TypeScript file there too.
  const child = fork(fileURLToPath(import.meta.url), ["--child"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (result) => resolve(result as LoadResult));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
    child.send(job);
  });
}

if (process.argv.includes("--child")) {
  process.once("message", (job) => {
    runHere(job as LoadJob).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
