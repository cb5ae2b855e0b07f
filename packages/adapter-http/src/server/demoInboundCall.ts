import { DEMO_AGENT } from "./demo.ts";
import type { PlaybackTimes, VapiCallParties } from "./vapiPlayback.ts";
import { callMessages } from "./vapiPlayback.ts";

/**
 * The three webhooks of an inbound call to the demo clinic, as Vapi sends them: the caller is
 * greeted and says `said` (the report's summary unless one is given). For tests that drive the
 * demo server as a caller would.
 */
export function demoInboundCall(
  vendorCallId: string,
  customer: VapiCallParties["customer"],
  times: PlaybackTimes,
  said: string,
  summary = said,
) {
  return callMessages(
    { direction: "inbound", customer, assistantId: DEMO_AGENT.assistantId, phoneNumberId: DEMO_AGENT.phoneNumberId },
    vendorCallId,
    times,
    {
      lines: [
        ["bot", "Bright Aesthetics, how can I help?"],
        ["user", said],
      ],
      summary,
    },
  );
}
