import { describe, expect, it } from "vitest";
import { backoffDelay, connectLive, createBus } from "../public/app/lib/live.js";

/** A WebSocket stand-in the test opens, feeds and drops by hand. */
class FakeSocket {
  static made = [];
  constructor(url, protocols) {
    this.url = url;
    this.protocols = protocols;
    this.closedWith = undefined;
    FakeSocket.made.push(this);
  }
  close(code) {
    this.closedWith = code;
  }
}

function harness() {
  FakeSocket.made = [];
  const statuses = [];
  const events = [];
  const timers = [];
  const connection = connectLive({
    token: "t0k3n",
    url: "ws://dash.test/ws",
    WebSocket: FakeSocket,
    setTimeout: (fn, ms) => timers.push({ fn, ms }) - 1,
    clearTimeout: (id) => {
      if (timers[id]) timers[id].cancelled = true;
    },
    backoff: (attempt) => 1000 * 2 ** attempt,
    onEvent: (event) => events.push(event),
    onStatus: (status, info) => statuses.push([status, info]),
  });
  return { connection, statuses, events, timers, socket: () => FakeSocket.made.at(-1) };
}

describe("connectLive", () => {
  it("sends the token as the bearer subprotocol and passes events on, ignoring frames that are not events", () => {
    const { socket, events, statuses } = harness();
    expect(socket().protocols).toEqual(["bearer", "t0k3n"]);
    socket().onopen();
    socket().onmessage({ data: JSON.stringify({ type: "call.started", call: { id: "c1" } }) });
    socket().onmessage({ data: "not json" });
    socket().onmessage({ data: JSON.stringify({ hello: 1 }) });
    expect(events).toEqual([{ type: "call.started", call: { id: "c1" } }]);
    expect(statuses.map(([s]) => s)).toEqual(["connecting", "live"]);
  });

  it("reconnects with growing delays, resets them once connected, and says it reconnected", () => {
    const { socket, statuses, timers } = harness();
    socket().onclose();
    expect(timers.map((t) => t.ms)).toEqual([1000]);
    timers[0].fn();
    socket().onclose(); // the server is still down
    expect(timers.map((t) => t.ms)).toEqual([1000, 2000]);
    timers[1].fn();
    socket().onopen();
    expect(statuses.at(-1)).toEqual(["live", { reconnected: false }]);
    socket().onclose();
    expect(timers.at(-1).ms).toBe(1000); // back to the first delay
    timers.at(-1).fn();
    socket().onopen();
    expect(statuses.at(-1)).toEqual(["live", { reconnected: true }]);
    expect(FakeSocket.made).toHaveLength(4);
  });

  it("stops for good on close(): no reconnect is pending or made", () => {
    const { connection, socket, timers } = harness();
    socket().onclose();
    connection.close();
    expect(timers[0].cancelled).toBe(true);
    socket().onclose();
    expect(timers).toHaveLength(1);
    expect(socket().closedWith).toBe(1000);
  });
});

describe("backoffDelay", () => {
  it("doubles up to the cap, with jitter within the upper half", () => {
    const low = (attempt) => backoffDelay(attempt, { random: () => 0 });
    const high = (attempt) => backoffDelay(attempt, { random: () => 1 });
    expect([0, 1, 2, 3].map(high)).toEqual([500, 1000, 2000, 4000]);
    expect([0, 1, 2, 3].map(low)).toEqual([250, 500, 1000, 2000]);
    expect(high(20)).toBe(30_000);
    expect(low(20)).toBe(15_000);
  });
});

describe("createBus", () => {
  it("delivers to every subscriber until it unsubscribes", () => {
    const bus = createBus();
    const heard = [];
    const stop = bus.subscribe((e) => heard.push(["a", e]));
    bus.subscribe((e) => heard.push(["b", e]));
    bus.publish(1);
    stop();
    bus.publish(2);
    expect(heard).toEqual([
      ["a", 1],
      ["b", 1],
      ["b", 2],
    ]);
  });
});
