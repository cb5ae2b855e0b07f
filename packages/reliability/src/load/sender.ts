/**
 * Sends planned webhooks to the server as fast as it answers: a few concurrent connections, each
 * webhook signed as Vapi signs it (HMAC over `{timestamp}.{body}`, fresh timestamp per attempt).
 * A 5xx, a broken or refused connection or a time-out is retried with exponential back-off, as
 * Vapi retries; a 4xx is a refusal and is not retried. It keeps its own record: what was
 * accepted, after how many attempts, every answer's status and latency.
 */
import { vapiWebhookHeaders } from "@voxanne/adapter-http/server";
import type { VapiWebhookAuth } from "@voxanne/core";
import { percentile } from "./stats.ts";
import type { PlannedWebhook } from "./vapiPayloads.ts";

export interface SendOptions {
  url: string;
  auth: VapiWebhookAuth;
  /** Concurrent connections (default 4). */
  concurrency?: number;
  /** One attempt's time-out (default 30 s). */
  attemptTimeoutMs?: number;
  /** A webhook not accepted after this long is given up, and the run with it (default 60 s). */
  giveUpAfterMs?: number;
  /** Runs once, without pausing the sending, when this many deliveries have been accepted. */
  fault?: { afterAccepted: number; run: () => Promise<void> };
  /** Stop early (sustained runs stop on time). */
  stopWhen?: () => boolean;
}

export interface DeliveryRecord {
  webhook: PlannedWebhook;
  attempts: number;
  /** The last answer's status; null when no answer came. */
  status: number | null;
  /** When it was accepted (2xx), ms since the epoch. */
  acceptedAt: number | null;
}

export interface SendReport {
  records: DeliveryRecord[];
  elapsedMs: number;
  accepted: number;
  /** Accepted webhooks per second of the run. */
  throughput: number;
  /** Of 2xx answers, ms. */
  latency: { p50: number; p99: number; max: number };
  /** Answers by status, and `network` / `timeout` for attempts that got none. */
  outcomes: Record<string, number>;
  retries: number;
  /** The longest any single attempt took, answered or not, ms. */
  longestAttemptMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function sendWebhooks(deliveries: readonly PlannedWebhook[], options: SendOptions): Promise<SendReport> {
  const { url, auth, concurrency = 4, attemptTimeoutMs = 30_000, giveUpAfterMs = 60_000 } = options;
  const records: DeliveryRecord[] = deliveries.map((webhook) => ({
    webhook,
    attempts: 0,
    status: null,
    acceptedAt: null,
  }));
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  const count = (key: string) => {
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  };
  let longestAttemptMs = 0;
  let accepted = 0;
  let next = 0;
  let fault: Promise<void> | undefined;
  /** Set when a webhook was given up: the server is not coming back, stop sending. */
  let abandoned = false;

  async function attempt(record: DeliveryRecord): Promise<"accepted" | "refused" | "retry"> {
    record.attempts++;
    const started = performance.now();
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: vapiWebhookHeaders(auth, record.webhook.body),
        body: record.webhook.body,
        signal: AbortSignal.timeout(attemptTimeoutMs),
      });
      await response.arrayBuffer();
      const took = performance.now() - started;
      longestAttemptMs = Math.max(longestAttemptMs, took);
      record.status = response.status;
      count(String(response.status));
      if (response.ok) {
        latencies.push(took);
        return "accepted";
      }
      return response.status >= 500 ? "retry" : "refused";
    } catch (error) {
      longestAttemptMs = Math.max(longestAttemptMs, performance.now() - started);
      record.status = null;
      count((error as Error).name === "TimeoutError" ? "timeout" : "network");
      return "retry";
    }
  }

  async function deliver(record: DeliveryRecord): Promise<void> {
    const giveUpAt = Date.now() + giveUpAfterMs;
    for (let backoff = 100; ; backoff = Math.min(backoff * 2, 2_000)) {
      const outcome = await attempt(record);
      if (outcome === "accepted") {
        record.acceptedAt = Date.now();
        accepted++;
        if (options.fault && !fault && accepted >= options.fault.afterAccepted) fault = options.fault.run();
        return;
      }
      if (outcome === "refused") return;
      if (Date.now() > giveUpAt || abandoned) {
        abandoned = true;
        return;
      }
      await sleep(backoff * (0.5 + Math.random()));
    }
  }

  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < records.length && !abandoned && !options.stopWhen?.()) {
        const record = records[next++];
        if (record) await deliver(record);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  await fault;
  return {
    records: records.slice(0, next),
    elapsedMs,
    accepted,
    throughput: accepted / (elapsedMs / 1000),
    latency: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: percentile(latencies, 100) },
    outcomes,
    retries: records.reduce((sum, r) => sum + Math.max(0, r.attempts - 1), 0),
    longestAttemptMs,
  };
}
