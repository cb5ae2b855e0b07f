/**
 * The live connection: `/ws` on this origin, the token sent as the `bearer` subprotocol (browsers
 * cannot set headers on a WebSocket, and a subprotocol keeps it out of URLs and access logs).
 * A dropped connection is retried with exponential back-off and jitter, reset once one opens.
 */

/**
 * Milliseconds to wait before reconnect number `attempt` (0-based): half the exponential ceiling
 * plus a random half, so that many dashboards dropped at once do not reconnect in step.
 */
export function backoffDelay(attempt, { baseMs = 500, maxMs = 30_000, random = Math.random } = {}) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** `ws://host/ws` or `wss://host/ws` for the page's own origin. */
export const liveUrl = (location = globalThis.location) =>
  `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws`;

/**
 * @param {{
 *   token: string,
 *   onEvent: (event: any) => void,
 *   onStatus: (status: "connecting" | "live" | "reconnecting", info: { delayMs?: number, reconnected?: boolean }) => void,
 *   url?: string,
 *   WebSocket?: typeof WebSocket,
 *   setTimeout?: typeof setTimeout,
 *   clearTimeout?: typeof clearTimeout,
 *   backoff?: (attempt: number) => number,
 * }} options
 * @returns {{ close(): void }}
 */
export function connectLive(options) {
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const schedule = options.setTimeout ?? globalThis.setTimeout.bind(globalThis);
  const cancel = options.clearTimeout ?? globalThis.clearTimeout.bind(globalThis);
  const backoff = options.backoff ?? backoffDelay;
  const url = options.url ?? liveUrl();
  let attempt = 0;
  let everOpened = false;
  let stopped = false;
  let timer;
  let socket;

  const open = () => {
    options.onStatus("connecting", {});
    socket = new Socket(url, ["bearer", options.token]);
    socket.onopen = () => {
      attempt = 0;
      // After a gap the page reloads what it shows: events sent while it was away are not replayed.
      options.onStatus("live", { reconnected: everOpened });
      everOpened = true;
    };
    socket.onmessage = (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (event && typeof event.type === "string") options.onEvent(event);
    };
    socket.onclose = () => {
      if (stopped) return;
      const delayMs = backoff(attempt++);
      options.onStatus("reconnecting", { delayMs });
      timer = schedule(open, delayMs);
    };
  };

  open();
  return {
    close() {
      stopped = true;
      cancel(timer);
      socket?.close(1000, "signed out");
    },
  };
}

/** A tiny fan-out so each section of the page hears the live events it cares about. */
export function createBus() {
  const listeners = new Set();
  return {
    /** @param {(event: any) => void} listener @returns {() => void} unsubscribe */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(event) {
      for (const listener of listeners) listener(event);
    },
  };
}
