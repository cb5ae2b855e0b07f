/**
 * The webhook bench's body: a full Vapi end-of-call report (~14 KB with its 40-line transcript; cf.
 * /work/shared/perf-baselines.md) built once as a template; each request swaps in a unique call
 * id and one of 5,000 caller numbers, then is signed with the org's webhook auth.
 */

import type { VapiConversation } from "@voxanne/adapter-http/server";
import { callMessages, DEMO_AGENT, vapiWebhookHeaders } from "@voxanne/adapter-http/server";
import type { VapiWebhookAuth } from "@voxanne/core";

const CALL_ID = "__CALL_ID__";
const NUMBER = "+13125500000";

const LINES: VapiConversation["lines"] = Array.from({ length: 40 }, (_, i) =>
  i % 2 === 0
    ? ["bot", `Bright Aesthetics, this is Ava. Happy to help with question ${i / 2 + 1} about your treatment plan.`]
    : ["user", "I'd like to know more about Botox for forehead lines, the price, and whether Tuesday works."],
);

export function reportTemplate(): string {
  const startedAt = new Date(Date.now() - 120_000);
  const parties = {
    direction: "inbound" as const,
    assistantId: DEMO_AGENT.assistantId,
    phoneNumberId: DEMO_AGENT.phoneNumberId,
    customer: { number: NUMBER, name: "Maria Lopez" },
  };
  const conversation = { lines: LINES, summary: "Asked about Botox prices and booked Tuesday." };
  const [, , report] = callMessages(parties, CALL_ID, { startedAt, endedAt: new Date() }, conversation);
  return JSON.stringify(report);
}

/** Request `n`'s body and headers: unique call id, a caller out of 5,000, signed. */
export function signedReport(template: string, auth: VapiWebhookAuth, n: number, prefix: string) {
  const number = `+1312550${String(n % 5_000).padStart(4, "0")}`;
  const body = template.replaceAll(CALL_ID, `${prefix}-${n}`).replaceAll(NUMBER, number);
  return { body, headers: Object.fromEntries(vapiWebhookHeaders(auth, body).entries()) };
}
