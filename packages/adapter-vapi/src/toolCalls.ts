/**
 * The contract between the webhook handler (which reads Vapi's `tool-calls` and legacy
 * `function-call` messages and writes Vapi's reply) and the tools that answer them (booking).
 */
import type { CallDirection } from "@voxanne/core";

/** One tool call as Vapi asked it, arguments already parsed (they arrive as an object or a JSON string). */
export interface ToolCallRequest {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** What the call that asked knows about itself. */
export interface ToolCallContext {
  vendorCallId: string;
  direction: CallDirection;
  customerNumber: string | null;
  customerName: string | null;
  clinicNumber: string | null;
  /** When Vapi says the message was sent. */
  at: Date;
}

/**
 * One answer, as Vapi wants it: `result` or `error`, a single-line string either way (the
 * assistant speaks it), never an HTTP error.
 */
export type ToolCallResult = { toolCallId: string; name: string } & ({ result: string } | { error: string });
