import { describe, expect, it } from "vitest";
import { NotConfigured, NotFound, ValidationFailed } from "../../domain/errors.ts";
import type { RecordingStore } from "../../ports/recordingStore.ts";
import { callEvents } from "../../testing/callScript.ts";
import { testVoxanne } from "../../testing/testVoxanne.ts";
import type { RecordingLinkParts } from "./recordingLink.ts";
import { signRecordingLink, verifyRecordingLink } from "./recordingLink.ts";

const SECRET = "recording-link-secret-0123456789abcdef";

const store: RecordingStore = {
  async save({ orgId, callId }) {
    return { location: `${orgId}/${callId}.wav` };
  },
};

/** Two orgs; each has a call with a stored recording, the first also one without. */
async function setup() {
  const t = testVoxanne({ recordings: store });
  const call = async (orgId: string, vendorCallId: string, recordingUrl?: string) => {
    await t.feed(
      orgId,
      callEvents({
        vendorCallId,
        customerNumber: "+15555559501",
        startedAt: t.clock.now(),
        durationSeconds: 30,
        transcript: "hello",
        ...(recordingUrl && { recordingUrl }),
      }),
    );
    const found = (await t.voxanne.calls.list(orgId)).items.find((c) => c.vendorCallId === vendorCallId);
    return found!;
  };
  const org = await t.voxanne.organizations.create({ name: "Clinic" });
  const other = await t.voxanne.organizations.create({ name: "Other clinic" });
  const recorded = await call(org.id, "v-1", "https://storage.example.test/1.wav");
  const recorded2 = await call(org.id, "v-2", "https://storage.example.test/2.wav");
  const silent = await call(org.id, "v-3");
  const otherRecorded = await call(other.id, "v-4", "https://storage.example.test/4.wav");
  expect(recorded.recordingStatus).toBe("completed");
  return { t, deps: t.voxanne.deps, org, other, recorded, recorded2, silent, otherRecorded };
}

/** The parts of a signed path, as the HTTP route would read them. */
function partsOf(path: string): RecordingLinkParts {
  const url = new URL(path, "http://voxanne.test");
  const callId = decodeURIComponent(/^\/api\/calls\/([^/]+)\/recording\/file$/.exec(url.pathname)?.[1] ?? "");
  return {
    orgId: url.searchParams.get("org") ?? undefined,
    callId,
    expires: url.searchParams.get("expires") ?? "",
    sig: url.searchParams.get("sig") ?? "",
  };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    (result) => expect.fail(`expected a refusal, got ${JSON.stringify(result)}`),
    (error: unknown) => error as Error & { code: string },
  );

describe("recording links", () => {
  it("signs a path to the call's recording that verifies to its org and location", async () => {
    const { t, deps, org, recorded } = await setup();
    const { path, expiresAt } = await signRecordingLink(deps, org.id, recorded.id, { secret: SECRET, ttlSeconds: 600 });
    expect(path).toMatch(
      new RegExp(`^/api/calls/${recorded.id}/recording/file\\?org=${org.id}&expires=\\d+&sig=[0-9a-f]{64}$`),
    );
    expect(expiresAt.getTime()).toBe(t.clock.now().getTime() + 600_000);
    expect(await verifyRecordingLink(deps, partsOf(path), SECRET)).toEqual({
      orgId: org.id,
      location: `${org.id}/${recorded.id}.wav`,
    });
  });

  it("works until it expires, then is refused as expired", async () => {
    const { t, deps, org, recorded } = await setup();
    const { path } = await signRecordingLink(deps, org.id, recorded.id, { secret: SECRET, ttlSeconds: 60 });
    t.clock.advance({ seconds: 60 });
    await expect(verifyRecordingLink(deps, partsOf(path), SECRET)).resolves.toMatchObject({ orgId: org.id });
    t.clock.advance({ seconds: 1 });
    const error = await refusal(verifyRecordingLink(deps, partsOf(path), SECRET));
    expect(error).toBeInstanceOf(ValidationFailed);
    expect(error.code).toBe("RECORDING_LINK_EXPIRED");
  });

  it("refuses a link whose call, expiry or signature was changed, or that is malformed", async () => {
    const { deps, org, recorded, recorded2 } = await setup();
    const parts = partsOf((await signRecordingLink(deps, org.id, recorded.id, { secret: SECRET })).path);
    const flipped = `${parts.sig.slice(0, -1)}${parts.sig.endsWith("0") ? "1" : "0"}`;
    const tampered: RecordingLinkParts[] = [
      { ...parts, callId: recorded2.id },
      { ...parts, expires: Number(parts.expires) + 3600 },
      { ...parts, sig: flipped },
      { ...parts, sig: parts.sig.slice(2) },
      { ...parts, sig: "zz".repeat(32) },
      { ...parts, expires: "soon" },
      { ...parts, expires: `${parts.expires}.0` },
      { ...parts, orgId: undefined },
    ];
    for (const link of tampered) {
      const error = await refusal(verifyRecordingLink(deps, link, SECRET));
      expect(error).toBeInstanceOf(ValidationFailed);
      expect(error.code).toBe("RECORDING_LINK_INVALID");
    }
    // A link signed with another secret is a forgery too.
    const error = await refusal(verifyRecordingLink(deps, parts, `${SECRET}-rotated`));
    expect(error.code).toBe("RECORDING_LINK_INVALID");
  });

  it("a link names one org: moved to another org it is refused, and no org signs another's call", async () => {
    const { deps, org, other, recorded, otherRecorded } = await setup();
    const parts = partsOf((await signRecordingLink(deps, org.id, recorded.id, { secret: SECRET })).path);
    const moved = await refusal(verifyRecordingLink(deps, { ...parts, orgId: other.id }, SECRET));
    expect(moved.code).toBe("RECORDING_LINK_INVALID");
    await expect(signRecordingLink(deps, org.id, otherRecorded.id, { secret: SECRET })).rejects.toBeInstanceOf(
      NotFound,
    );
  });

  it("NotFound for a call without a stored recording, an unknown call, or a call deleted since", async () => {
    const { t, deps, org, recorded, silent } = await setup();
    expect(silent.recordingStatus).toBe("pending");
    for (const callId of [silent.id, "no-such-call"]) {
      const error = await refusal(signRecordingLink(deps, org.id, callId, { secret: SECRET }));
      expect(error).toBeInstanceOf(NotFound);
      expect(error.code).toBe("RECORDING_NOT_FOUND");
    }
    const { path } = await signRecordingLink(deps, org.id, recorded.id, { secret: SECRET });
    await t.voxanne.calls.delete(org.id, recorded.id);
    await expect(verifyRecordingLink(deps, partsOf(path), SECRET)).rejects.toBeInstanceOf(NotFound);
  });

  it("refuses a weak secret and a ttl out of range", async () => {
    const { deps, org, recorded } = await setup();
    await expect(signRecordingLink(deps, org.id, recorded.id, { secret: "short" })).rejects.toBeInstanceOf(
      NotConfigured,
    );
    await expect(
      verifyRecordingLink(deps, { orgId: org.id, callId: recorded.id, expires: 1, sig: "" }, "short"),
    ).rejects.toBeInstanceOf(NotConfigured);
    for (const ttlSeconds of [0, 1.5, 8 * 86_400]) {
      await expect(signRecordingLink(deps, org.id, recorded.id, { secret: SECRET, ttlSeconds })).rejects.toBeInstanceOf(
        ValidationFailed,
      );
    }
  });
});
