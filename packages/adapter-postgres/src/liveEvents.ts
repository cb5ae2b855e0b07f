/**
 * Live events across processes: `publish` NOTIFYs the shared database, and every process LISTENs
 * and hands what it hears to its own in-process hub. A process hears its own events through the
 * LISTEN too (not by a shortcut to its hub), so each hub gets each event exactly once, in commit order.
 */
import type { LiveEvent, LiveEvents } from "@voxanne/core";
import type { Database } from "./db.ts";

/** The one channel every process listens on (NOTIFY channels are per database, so per deployment). */
export const LIVE_CHANNEL = "voxanne_live";

/** Postgres refuses NOTIFY payloads of 8000 bytes or more (default build); stay under with a margin. */
export const MAX_PAYLOAD_BYTES = 7900;

/** Where the events heard on the channel go: the process's hub. */
export interface LocalLiveEvents {
  publish(event: LiveEvent): Promise<void> | void;
}

export interface PgLiveEventsOptions {
  /** Told when a payload cannot be read or the local hub throws; the listener keeps going. */
  onError?: (error: unknown) => void;
}

/**
 * Starts listening on `database` and resolves once it does, so that nothing published afterwards
 * (by any process) is missed. Needs a Database with `listen`/`notify` (both drivers offer them).
 *
 * @example
 * const hub = liveHub();
 * const live = await pgLiveEvents(database, hub); // give `live` to createVoxanne, `hub` to the sockets
 */
export async function pgLiveEvents(
  database: Database,
  local: LocalLiveEvents,
  options: PgLiveEventsOptions = {},
): Promise<LiveEvents & { close(): Promise<void> }> {
  const { listen, notify } = database;
  if (!listen || !notify) throw new Error(`pgLiveEvents: this ${database.driver} Database offers no listen/notify`);
  const failed = (error: unknown) => options.onError?.(error);
  const unlisten = await listen.call(database, LIVE_CHANNEL, (payload) => {
    try {
      Promise.resolve(local.publish(JSON.parse(payload) as LiveEvent)).catch(failed);
    } catch (error) {
      failed(error);
    }
  });
  let closed: Promise<void> | undefined;
  return {
    async publish(event) {
      await notify.call(database, LIVE_CHANNEL, notifyPayload(event));
    },
    close() {
      closed ??= unlisten();
      return closed;
    },
  };
}

const byteLength = (text: string) => Buffer.byteLength(text, "utf8");
const fits = (text: string) => byteLength(text) <= MAX_PAYLOAD_BYTES;

/** Strings and arrays beyond these are clipped when an event is still too large without its heavy fields. */
const CLIP_CHARS = 200;
const CLIP_ITEMS = 20;

/**
 * The event as a NOTIFY payload, shrunk when too large rather than failing (a failed publish would
 * be retried by the outbox forever). A shrunk event says `truncated: true`, so a dashboard knows to
 * fetch the full record. Steps, each only if still too large: drop a call's transcript, summaries
 * and metadata (an activity's data); clip long strings and arrays; keep only the record's id.
 */
export function notifyPayload(event: LiveEvent): string {
  const full = JSON.stringify(event);
  if (fits(full)) return full;
  const light = JSON.stringify({ ...withoutHeavyFields(event), truncated: true });
  if (fits(light)) return light;
  const clipped = JSON.stringify(clip(JSON.parse(light)));
  if (fits(clipped)) return clipped;
  return JSON.stringify(idOnly(event));
}

function withoutHeavyFields(event: LiveEvent): LiveEvent {
  switch (event.type) {
    case "call.started":
    case "call.updated":
    case "call.ended":
    case "callback.placed": {
      const { call } = event;
      const sentiment = call.sentiment && { ...call.sentiment, summary: null };
      return { ...event, call: { ...call, transcript: null, summary: null, metadata: {}, sentiment } };
    }
    case "activity.created":
      return { ...event, activity: { ...event.activity, data: {} } };
    default:
      return event;
  }
}

function clip(value: unknown): unknown {
  if (typeof value === "string") return value.length > CLIP_CHARS ? `${value.slice(0, CLIP_CHARS)}…` : value;
  if (Array.isArray(value)) return value.slice(0, CLIP_ITEMS).map(clip);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, clip(field)]));
  }
  return value;
}

/** The last resort: which record changed, nothing more (ids are short, so this always fits). */
function idOnly(event: LiveEvent): Record<string, unknown> {
  const { type, orgId, ...records } = event;
  const ids = Object.entries(records).map(([key, record]) => [key, { id: (record as { id: string }).id }]);
  return { type, orgId, ...Object.fromEntries(ids), truncated: true };
}
