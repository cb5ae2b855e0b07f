/** Helpers for the server's tests over a real port: polling, a live-updates client, signed Vapi posts. */
import type { LiveEvent, VapiWebhookAuth } from "@voxanne/core";
import { WebSocket } from "ws";
import { vapiWebhookHeaders } from "./vapiSigning.ts";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries `check` until it passes (background projection is asynchronous), at most `ms`. */
export async function eventually<T>(check: () => Promise<T>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await sleep(100);
    }
  }
}

/** A dashboard's socket on `/ws`: the events it heard, in order. */
export async function liveClient(baseUrl: string, token: string) {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/ws?token=${encodeURIComponent(token)}`);
  const events: LiveEvent[] = [];
  socket.on("message", (data) => events.push(JSON.parse(String(data)) as LiveEvent));
  await new Promise<void>((resolve, reject) => socket.once("open", () => resolve()).once("error", reject));
  return {
    events,
    close: () =>
      new Promise<void>((resolve) => {
        socket.once("close", () => resolve());
        socket.close();
      }),
  };
}

/** Posts Vapi messages to `/webhooks/vapi`, signed for `auth`; the response statuses. */
export async function postVapi(baseUrl: string, auth: VapiWebhookAuth, payloads: unknown[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const payload of payloads) {
    const body = JSON.stringify(payload);
    const response = await fetch(`${baseUrl}/webhooks/vapi`, {
      method: "POST",
      headers: vapiWebhookHeaders(auth, body),
      body,
    });
    await response.body?.cancel();
    statuses.push(response.status);
  }
  return statuses;
}
