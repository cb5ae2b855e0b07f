/**
 * The demo tenant of a development server: created once on a fresh database (a fixed id, so a
 * restart finds it again), with the default price list and agent settings whose webhook secret is
 * generated there, never kept in the repository. Start-up prints how to reach it.
 */
import { randomBytes } from "node:crypto";
import type { Organization, Voxanne } from "@voxanne/core";
import { NotFound } from "@voxanne/core";

export const DEMO_ORG_ID = "00000000-0000-4000-8000-0000000de111";

/** Agent ids as they would be set in Vapi's dashboard for this clinic. */
export const DEMO_AGENT = {
  assistantId: "demo-inbound-assistant",
  outboundAssistantId: "demo-outbound-assistant",
  phoneNumberId: "demo-phone-number",
} as const;

/** The demo org, created with its price list when the database has none. */
export async function ensureDemoOrg(voxanne: Voxanne): Promise<{ org: Organization; created: boolean }> {
  try {
    return { org: await voxanne.organizations.get(DEMO_ORG_ID), created: false };
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
  }
  const org = await voxanne.organizations.create({
    id: DEMO_ORG_ID,
    name: "Bright Aesthetics (demo)",
    timezone: "America/New_York",
    currency: "USD",
    agent: {
      // Outbound calls' webhooks name the outbound assistant: it belongs to the org too.
      assistantIds: [DEMO_AGENT.assistantId, DEMO_AGENT.outboundAssistantId],
      outboundAssistantId: DEMO_AGENT.outboundAssistantId,
      phoneNumberId: DEMO_AGENT.phoneNumberId,
      smsFrom: "+12025550143",
      hotLeadAlertNumbers: ["+13125550199"],
      vapiWebhookAuth: { type: "secretHeader", headerName: "x-vapi-secret", secret: randomBytes(24).toString("hex") },
    },
  });
  return { org, created: true };
}

/** What start-up prints: where the server is, the demo org's agent settings, a token and a first request. */
export function demoBanner(url: string, org: Organization, token: string | undefined): string {
  const auth = org.agent.vapiWebhookAuth;
  const webhookAuth =
    auth.type === "secretHeader"
      ? `${auth.headerName}: ${auth.secret}`
      : auth.type === "none"
        ? "none"
        : `${auth.type} (see the org's settings)`;
  const lines = [
    `Voxanne is listening on ${url}`,
    `  Demo organization   ${org.name}  id ${org.id}`,
    `  Vapi assistant ids  ${org.agent.assistantIds.join(", ")}  phone number id ${org.agent.phoneNumberId ?? "-"}`,
    `  Vapi webhook        POST ${url}/webhooks/vapi  with header ${webhookAuth}`,
  ];
  if (token) {
    lines.push(
      `  Dev token (12 h)    ${token}`,
      `  Try it:             curl -H "Authorization: Bearer ${token}" ${url}/api/analytics/dashboard-pulse`,
      `  Dashboard           ${url}/  (sign in with the dev token above)`,
    );
  } else {
    lines.push("  Tokens              JWT_JWKS_URL is set: get a token from your identity provider");
  }
  lines.push(`  API reference       ${url}/docs`);
  return lines.join("\n");
}
