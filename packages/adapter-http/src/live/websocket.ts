/**
 * Live updates over WebSocket on the API's own port: `GET /ws` upgrades once the API's JWT checks
 * out, then the connection hears its org's events as JSON text frames. Dead sockets are found by
 * heartbeats and slow readers are dropped, so a dashboard can never make the server buffer without bound.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { LiveEvent } from "@voxanne/core";
import { WebSocket, WebSocketServer } from "ws";
import type { AuthVerifier } from "../auth.ts";
import type { LiveHub } from "./hub.ts";

export interface LiveUpdatesOptions {
  /** The API's token check: a socket belongs to the org its JWT names. */
  auth: AuthVerifier;
  hub: LiveHub;
  /** The upgrade path; "/ws" by default. */
  path?: string;
  /** How often sockets are pinged; one that has not answered the previous ping is terminated. 30 s by default. */
  heartbeatMs?: number;
  /** Bytes a socket may have queued before it is dropped as too slow; 1 MiB by default. */
  maxBufferedBytes?: number;
}

/** A browser cannot set headers on a WebSocket, so the token may come as this subprotocol pair. */
const BEARER_PROTOCOL = "bearer";

/** Clients only listen; anything they send is small (and ignored). */
const MAX_INCOMING_BYTES = 4096;

/** How long `close()` lets clients answer the closing handshake before cutting them off. */
const CLOSE_GRACE_MS = 1000;

/**
 * Handles upgrades on `server` for `path` and leaves other paths to other upgrade listeners
 * (answering 404 only when there are none). Returns `close()`, which stops accepting, says
 * goodbye (1001) to every client and unsubscribes them; it leaves `server` itself open.
 */
export function attachLiveUpdates(server: Server, options: LiveUpdatesOptions): { close(): Promise<void> } {
  const path = options.path ?? "/ws";
  const maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_INCOMING_BYTES,
    // Answer "bearer" (never the token) when the client used the subprotocol form; browsers require an echo.
    handleProtocols: (protocols) => (protocols.has(BEARER_PROTOCOL) ? BEARER_PROTOCOL : false),
  });
  const alive = new WeakMap<WebSocket, boolean>();
  let closing: Promise<void> | undefined;

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? "/", "http://localhost").pathname !== path) {
      if (server.listenerCount("upgrade") === 1) refuse(socket, 404, "Not Found");
      return;
    }
    socket.on("error", () => socket.destroy()); // a client vanishing while its token is checked
    const token = tokenOf(request);
    // Through a promise chain, so that a verifier throwing synchronously is a refusal, not a crash.
    const verified = Promise.resolve(token).then((found) => {
      if (!found) throw new Error("no token");
      return options.auth.verify(found);
    });
    verified.then(
      ({ orgId }) => {
        if (closing) return refuse(socket, 503, "Service Unavailable"); // shut down while the token was checked
        if (socket.destroyed) return;
        wss.handleUpgrade(request, socket, head, (ws) => connect(ws, orgId));
      },
      () => refuse(socket, 401, "Unauthorized"),
    );
  };

  const connect = (ws: WebSocket, orgId: string) => {
    alive.set(ws, true);
    ws.on("pong", () => alive.set(ws, true));
    ws.on("error", () => ws.terminate());
    const unsubscribe = options.hub.subscribe(orgId, (event) => send(ws, event, maxBufferedBytes));
    ws.on("close", unsubscribe);
  };

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  server.on("upgrade", onUpgrade);
  return {
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        server.off("upgrade", onUpgrade);
        await Promise.all([...wss.clients].map(goodbye));
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      })();
      return closing;
    },
  };
}

/**
 * Sends `event` unless the socket already holds more than `maxBufferedBytes` it could not write:
 * such a client is terminated rather than closed, since a close frame would queue behind the backlog.
 */
function send(ws: WebSocket, event: LiveEvent, maxBufferedBytes: number) {
  if (ws.readyState !== WebSocket.OPEN) return;
  if (ws.bufferedAmount > maxBufferedBytes) {
    ws.terminate();
    return;
  }
  ws.send(frameOf(event));
}

/** Each event is serialised once, however many sockets of its org hear it (the hub shares the object). */
const frames = new WeakMap<LiveEvent, string>();
function frameOf(event: LiveEvent): string {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = JSON.stringify(event);
    frames.set(event, frame);
  }
  return frame;
}

/** The token from `?token=` or from `Sec-WebSocket-Protocol: bearer, <token>`. */
function tokenOf(request: IncomingMessage): string | undefined {
  const query = new URL(request.url ?? "/", "http://localhost").searchParams.get("token");
  if (query) return query;
  const protocols = (request.headers["sec-websocket-protocol"] ?? "").split(",").map((part) => part.trim());
  const bearer = protocols.indexOf(BEARER_PROTOCOL);
  return bearer === -1 ? undefined : protocols[bearer + 1] || undefined;
}

/** Answers the upgrade request with a plain HTTP error, before any WebSocket exists. */
function refuse(socket: Duplex, status: number, reason: string) {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Closes with 1001 (going away) and waits for the handshake, cutting the client off after a grace period. */
function goodbye(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    const cutOff = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
    ws.once("close", () => {
      clearTimeout(cutOff);
      resolve();
    });
    ws.close(1001, "server shutting down");
  });
}
