/**
 * The in-process fan-out of live events: whoever publishes (the outbox, or Postgres LISTEN when
 * several processes share a database) reaches the WebSocket connections of this process, per org.
 * It is the core's `liveFanOut`: no history is kept, only subscriptions.
 */
import { type LiveFanOut, type LiveFanOutOptions, type LiveListener, liveFanOut } from "@voxanne/core";

export type LiveHubListener = LiveListener;
export type LiveHub = LiveFanOut;
export type LiveHubOptions = LiveFanOutOptions;

export const liveHub = (options: LiveHubOptions = {}): LiveHub => liveFanOut(options);
