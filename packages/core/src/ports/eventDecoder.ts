import type { EventLogEntry, Provider } from "../domain/eventLog.ts";
import type { VoxanneEvent } from "../domain/events.ts";

/**
 * Turns one logged vendor payload into core events. Decoders run at projection time, so a replay
 * re-reads old payloads with the current decoder.
 *
 * Guarantees: pure and deterministic (same entry, same events); returns `[]` for payloads that
 * mean nothing to the core; throws `ValidationFailed` only for a payload it cannot read at all.
 */
export interface EventDecoder {
  readonly provider: Provider;
  decode(entry: EventLogEntry): VoxanneEvent[];
}
