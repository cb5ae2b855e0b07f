import "reflect-metadata";
import { container } from "tsyringe";
import { describe, expect, it } from "vitest";
import { registerVoxanne, TOKENS } from "./container.ts";
import type { Telephony } from "./ports/telephony.ts";
import { callEvents } from "./testing/callScript.ts";
import { memoryLiveEvents } from "./testing/memoryLiveEvents.ts";
import { memoryStorage } from "./testing/memoryStorage.ts";
import { recordingSms } from "./testing/recordingSms.ts";
import { recordingTelephony } from "./testing/recordingTelephony.ts";

function rootWithDefaults() {
  return registerVoxanne(container.createChildContainer(), {
    storage: memoryStorage(),
    telephony: recordingTelephony(),
    sms: recordingSms(),
    live: memoryLiveEvents(),
  });
}

describe("registerVoxanne", () => {
  it("resolves one wired Voxanne per container", async () => {
    const root = rootWithDefaults();
    const voxanne = root.resolve(TOKENS.Voxanne);
    expect(root.resolve(TOKENS.Voxanne)).toBe(voxanne);
    const org = await voxanne.organizations.create({ name: "Clinic" });
    expect((await voxanne.services.list(org.id)).length).toBeGreaterThan(0);
  });

  it("a child container overrides one port and keeps the others", async () => {
    const root = rootWithDefaults();
    const placed: string[] = [];
    const swapped: Telephony = {
      createOutboundCall: async (request) => {
        placed.push(request.callId);
        return { vendorCallId: `other-vendor-${request.callId}` };
      },
    };
    const child = root.createChildContainer();
    child.register(TOKENS.Telephony, { useValue: swapped });
    const voxanne = child.resolve(TOKENS.Voxanne);
    expect(voxanne).not.toBe(root.resolve(TOKENS.Voxanne));
    expect(voxanne.deps.storage).toBe(root.resolve(TOKENS.Storage));

    const org = await voxanne.organizations.create({
      name: "Clinic",
      agent: { outboundAssistantId: "a", phoneNumberId: "p" },
    });
    const [started] = callEvents({
      vendorCallId: "v",
      customerNumber: "+15555559301",
      startedAt: new Date(),
      durationSeconds: 1,
      transcript: "",
    });
    await voxanne.receive("voxanne", org.id, started!.eventKey, started!.payload);
    await voxanne.settle();
    const contact = (await voxanne.contacts.list(org.id)).items[0]!;
    const call = await voxanne.contacts.callBack(org.id, contact.id);
    expect(call.vendorCallId).toBe(`other-vendor-${call.id}`);
    expect(placed).toEqual([call.id]);
    expect((root.resolve(TOKENS.Telephony) as ReturnType<typeof recordingTelephony>).requests).toHaveLength(0);
  });
});
