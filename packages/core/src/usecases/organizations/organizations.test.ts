import { describe, expect, it } from "vitest";
import { callEvents } from "../../testing/callScript.ts";
import { orgState } from "../../testing/orgState.ts";
import { testVoxanne } from "../../testing/testVoxanne.ts";

describe("organizations", () => {
  it("creates an organization with its agent config and finds it by agent id", async () => {
    const t = testVoxanne();
    const org = await t.voxanne.organizations.create({
      name: "Bright Aesthetics",
      timezone: "America/New_York",
      agent: {
        assistantIds: ["asst-1"],
        hotLeadAlertNumbers: ["+1 (555) 555-0199"],
        vapiWebhookAuth: { type: "secretHeader", secret: "s3cret-s3cret-s3cret" },
      },
    });
    expect(org).toMatchObject({ timezone: "America/New_York", currency: "USD" });
    expect(org.agent).toMatchObject({
      assistantIds: ["asst-1"],
      hotLeadAlertNumbers: ["+15555550199"],
      vapiWebhookAuth: { type: "secretHeader", headerName: "x-vapi-secret" },
      bookingToolNames: ["book_appointment"],
      outboundAssistantId: null,
    });
    expect((await t.storage.organizations.findByAgentId("asst-1"))?.id).toBe(org.id);

    const updated = await t.voxanne.organizations.update(org.id, { agent: { outboundAssistantId: "asst-out" } });
    expect(updated.agent).toMatchObject({ assistantIds: ["asst-1"], outboundAssistantId: "asst-out" });
  });

  it.each([
    [
      "an invalid alert number",
      { name: "C", agent: { hotLeadAlertNumbers: ["555-0199"] } },
      "agent.hotLeadAlertNumbers.0",
    ],
    ["an unknown time zone", { name: "C", timezone: "Mars/Olympus" }, "timezone"],
    ["a lowercase currency", { name: "C", currency: "usd" }, "currency"],
    [
      "a short webhook secret",
      { name: "C", agent: { vapiWebhookAuth: { type: "bearer", token: "short" } } },
      "agent.vapiWebhookAuth.token",
    ],
    ["an empty name", { name: "" }, "name"],
  ])("refuses %s, naming the field, and creates nothing", async (_, input, path) => {
    const t = testVoxanne();
    const error = await t.voxanne.organizations.create(input as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "ValidationFailed" });
    expect((error as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(path);
    expect(await t.storage.eventLog.read({ afterSeq: 0, limit: 1 })).toEqual([]);
  });

  it("refuses a bad update and changes nothing; an unknown org is not found", async () => {
    const t = testVoxanne();
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    const before = await orgState(t.storage, org.id);
    await expect(
      t.voxanne.organizations.update(org.id, { agent: { hotLeadAlertNumbers: ["nope"] } }),
    ).rejects.toMatchObject({
      kind: "ValidationFailed",
    });
    expect(await orgState(t.storage, org.id)).toEqual(before);
    await expect(t.voxanne.organizations.get(crypto.randomUUID())).rejects.toMatchObject({ kind: "NotFound" });
    await expect(t.voxanne.organizations.create({ id: org.id, name: "Again" })).rejects.toMatchObject({
      kind: "Conflict",
    });
  });

  it("a caller without a usable number (withheld, short code) is logged without a contact", async () => {
    const t = testVoxanne();
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    await t.feed(
      org.id,
      callEvents({
        vendorCallId: "v-anon",
        customerNumber: "anonymous",
        startedAt: t.clock.now(),
        durationSeconds: 20,
        transcript: "botox?",
      }),
    );
    const [call] = (await t.voxanne.calls.list(org.id)).items;
    expect(call).toMatchObject({ contactId: null, fromNumber: null, status: "completed", financialValueCents: 40_000 });
    expect((await t.voxanne.contacts.list(org.id)).items).toEqual([]);
  });
});
