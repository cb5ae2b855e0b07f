import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { LiveEvent } from "@voxanne/core";
import { newCall, serialize } from "@voxanne/core";
import { afterEach, describe, expect, test, vi } from "vitest";
import { type ClientOptions, WebSocket } from "ws";
import type { AuthVerifier } from "../auth.ts";
import { type LiveHub, liveHub } from "./hub.ts";
import { attachLiveUpdates, type LiveUpdatesOptions } from "./websocket.ts";

const AT = new Date("2025-03-01T10:00:00.000Z");

/** A stub of the API's verifier: two known tokens, one per org. */
const auth: AuthVerifier = {
  async verify(token) {
    const orgId = { "token-a": "org-a", "token-b": "org-b" }[token];
    if (!orgId) throw new Error("invalid token");
    return { orgId };
  },
};

const callEvent = (orgId: string, id: string, transcript: string | null = null): LiveEvent => ({
  type: "call.updated",
  orgId,
  call: serialize({ ...newCall({ id, orgId, direction: "inbound", createdAt: AT }), transcript }),
});

/** The hub, counting live subscriptions per org, so tests see the server drop and unsubscribe sockets. */
function countingHub(): LiveHub & { active: Map<string, number> } {
  const hub = liveHub();
  const active = new Map<string, number>();
  const bump = (orgId: string, by: number) => active.set(orgId, (active.get(orgId) ?? 0) + by);
  return {
    active,
    publish: hub.publish,
    subscribe(orgId, listener) {
      bump(orgId, 1);
      const unsubscribe = hub.subscribe(orgId, listener);
      let done = false;
      return () => {
        if (!done) bump(orgId, -1);
        done = true;
        unsubscribe();
      };
    },
  };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real HTTP server on 127.0.0.1 with live updates attached, closed after the test. */
async function liveServer(options: Partial<LiveUpdatesOptions> = {}) {
  const hub = countingHub();
  const server: Server = createServer((_request, response) => response.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const live = attachLiveUpdates(server, { auth, hub, ...options });
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  cleanups.push(() => live.close());
  const { port } = server.address() as AddressInfo;
  return { hub, live, url: `ws://127.0.0.1:${port}` };
}

/** A client that keeps the events it hears; resolves once open. */
async function client(url: string, protocols: string[] = [], options: ClientOptions = {}) {
  const ws = new WebSocket(url, protocols, options);
  const heard: LiveEvent[] = [];
  const closed = new Promise<number>((resolve) => ws.on("close", resolve));
  ws.on("message", (data) => heard.push(JSON.parse(String(data))));
  cleanups.push(() => ws.terminate());
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return { ws, heard, closed };
}

/** The HTTP status an upgrade attempt was refused with. */
function refusal(url: string, protocols: string[] = []): Promise<number> {
  const ws = new WebSocket(url, protocols);
  ws.on("error", () => {}); // terminating a refused handshake reports an error; the status is what counts
  cleanups.push(() => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
    ws.once("open", () => reject(new Error("upgrade accepted")));
  });
}

describe("attachLiveUpdates", () => {
  test("each client hears only its own org's events, as JSON text frames", async () => {
    const { hub, url } = await liveServer();
    const a = await client(`${url}/ws?token=token-a`);
    const b = await client(`${url}/ws`, ["bearer", "token-b"]);
    expect(b.ws.protocol).toBe("bearer");
    const [a1, b1, a2, b2] = [
      callEvent("org-a", "a1"),
      callEvent("org-b", "b1"),
      callEvent("org-a", "a2"),
      callEvent("org-b", "b2"),
    ];
    for (const event of [a1, b1, a2, b2]) await hub.publish(event);
    await vi.waitFor(() => {
      expect(a.heard).toEqual([a1, a2]);
      expect(b.heard).toEqual([b1, b2]);
    });
  });

  test("refuses the upgrade with 401 without a valid token, and 404 on another path", async () => {
    const { url, hub } = await liveServer();
    expect(await refusal(`${url}/ws`)).toBe(401);
    expect(await refusal(`${url}/ws?token=forged`)).toBe(401);
    expect(await refusal(`${url}/ws`, ["bearer", "forged"])).toBe(401);
    expect(await refusal(`${url}/elsewhere?token=token-a`)).toBe(404);
    expect(hub.active.get("org-a") ?? 0).toBe(0);
  });

  test("heartbeats terminate a client that stopped answering pings, and keep a live one", async () => {
    const { url, hub } = await liveServer({ heartbeatMs: 100 });
    const dead = await client(`${url}/ws?token=token-a`, [], { autoPong: false });
    const healthy = await client(`${url}/ws?token=token-a`);
    expect(await dead.closed).toBe(1006);
    await vi.waitFor(() => expect(hub.active.get("org-a")).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 400)); // several more heartbeats
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
  });

  test("drops a client that does not read while a fast one keeps receiving", async () => {
    const { url, hub } = await liveServer({ maxBufferedBytes: 64 * 1024 });
    const slow = await client(`${url}/ws?token=token-a`);
    const fast = await client(`${url}/ws?token=token-a`);
    (slow.ws as unknown as { _socket: Socket })._socket.pause();
    const transcript = "x".repeat(100 * 1024);
    const count = 300; // ~30 MB: more than the kernel's socket buffers can absorb for the slow client
    for (let i = 0; i < count; i++) {
      await hub.publish(callEvent("org-a", `call-${i}`, transcript));
      // Paced by the fast client, which would otherwise be starved by this synchronous loop.
      await vi.waitFor(() => expect(fast.heard).toHaveLength(i + 1), { interval: 1 });
    }
    expect(hub.active.get("org-a")).toBe(1);
    expect(fast.ws.readyState).toBe(WebSocket.OPEN);
    expect(fast.heard.map((event) => (event.type === "call.updated" ? event.call.id : ""))).toEqual(
      Array.from({ length: count }, (_, i) => `call-${i}`),
    );
  });

  test("closing a client unsubscribes it; close() says goodbye to the rest", async () => {
    const { url, hub, live } = await liveServer();
    const leaving = await client(`${url}/ws?token=token-a`);
    const staying = await client(`${url}/ws?token=token-b`);
    expect(hub.active.get("org-a")).toBe(1);
    leaving.ws.close();
    await vi.waitFor(() => expect(hub.active.get("org-a")).toBe(0));
    await live.close();
    expect(await staying.closed).toBe(1001);
    expect(hub.active.get("org-b")).toBe(0);
  });
});
