import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ValidationFailed, VendorFailed } from "@voxanne/core";
import { callEvents, testVoxanne } from "@voxanne/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { filesystemRecordings } from "./recordings.ts";

/** What the test source answers on one path. */
type Route =
  | { kind: "bytes"; body: Buffer; contentType?: string; chunked?: boolean }
  | { kind: "status"; status: number }
  | { kind: "stall" }
  /** Announces the whole body, sends `sent` bytes of it, then drops the connection. */
  | { kind: "break"; body: Buffer; sent: number };

/** A small recording host on 127.0.0.1 whose answers the test sets per path. */
async function startSource() {
  const routes = new Map<string, Route>();
  const server: Server = createServer((req, res) => {
    const route = routes.get(req.url ?? "") ?? { kind: "status", status: 404 };
    switch (route.kind) {
      case "bytes":
        res.writeHead(200, {
          "content-type": route.contentType ?? "application/octet-stream",
          ...(!route.chunked && { "content-length": String(route.body.length) }),
        });
        if (route.chunked) {
          res.write(route.body.subarray(0, 1));
          res.end(route.body.subarray(1));
        } else res.end(route.body);
        return;
      case "status":
        res.writeHead(route.status, { "content-type": "text/plain" }).end("no");
        return;
      case "stall":
        return; // never answers
      case "break":
        res.writeHead(200, { "content-length": String(route.body.length), "content-type": "audio/wav" });
        res.write(route.body.subarray(0, route.sent), () => setTimeout(() => res.destroy(), 20));
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    set: (path: string, route: Route) => routes.set(path, route),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const audio = (text: string) => Buffer.from(`RIFF${text}`);

describe("filesystemRecordings", () => {
  let dir: string;
  let source: Awaited<ReturnType<typeof startSource>>;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "voxanne-recordings-"));
    source = await startSource();
  });
  afterEach(async () => {
    await source.close();
    await rm(dir, { recursive: true, force: true });
  });

  const failureOf = (promise: Promise<unknown>): Promise<VendorFailed> =>
    promise.then(
      (result) => expect.fail(`expected a failure, got ${JSON.stringify(result)}`),
      (error: unknown) => {
        expect(error).toBeInstanceOf(VendorFailed);
        return error as VendorFailed;
      },
    );

  it("downloads the recording to dir/<orgId>/<callId><ext> and returns that location", async () => {
    const store = filesystemRecordings({ dir });
    source.set("/rec/abc-mono.wav", { kind: "bytes", body: audio("first"), contentType: "audio/wav" });
    const { location } = await store.save({
      orgId: "org-1",
      callId: "call-1",
      sourceUrl: source.url("/rec/abc-mono.wav"),
    });
    expect(location).toBe("org-1/call-1.wav");
    expect(store.fileOf(location)).toBe(join(dir, "org-1", "call-1.wav"));
    expect(await readFile(store.fileOf(location))).toEqual(audio("first"));
  });

  it("takes the extension from the content type when the URL has none", async () => {
    const store = filesystemRecordings({ dir });
    source.set("/rec/123", { kind: "bytes", body: audio("mp3"), contentType: "audio/mpeg", chunked: true });
    const { location } = await store.save({ orgId: "org-1", callId: "call-2", sourceUrl: source.url("/rec/123") });
    expect(location).toBe("org-1/call-2.mp3");
    expect(await readFile(store.fileOf(location))).toEqual(audio("mp3"));
  });

  it("saving the same (org, call) again replaces the copy at the same location, leaving nothing else", async () => {
    const store = filesystemRecordings({ dir });
    const request = { orgId: "org-1", callId: "call-1", sourceUrl: source.url("/rec.wav") };
    source.set("/rec.wav", { kind: "bytes", body: audio("first") });
    const first = await store.save(request);
    source.set("/rec.wav", { kind: "bytes", body: audio("second, longer") });
    const second = await store.save(request);
    expect(second).toEqual(first);
    expect(await readFile(store.fileOf(second.location))).toEqual(audio("second, longer"));
    expect(await readdir(join(dir, "org-1"))).toEqual(["call-1.wav"]);

    // A source under another extension: one copy stays, under the new name.
    source.set("/rec.mp3", { kind: "bytes", body: audio("mp3") });
    const third = await store.save({ ...request, sourceUrl: source.url("/rec.mp3") });
    expect(third.location).toBe("org-1/call-1.mp3");
    expect(await readdir(join(dir, "org-1"))).toEqual(["call-1.mp3"]);
  });

  it("a download that breaks midway leaves the earlier copy whole and no partial file (retryable)", async () => {
    const store = filesystemRecordings({ dir });
    const request = { orgId: "org-1", callId: "call-1", sourceUrl: source.url("/rec.wav") };
    source.set("/rec.wav", { kind: "bytes", body: audio("complete") });
    const { location } = await store.save(request);

    source.set("/rec.wav", { kind: "break", body: Buffer.alloc(64 * 1024, 7), sent: 1024 });
    const error = await failureOf(store.save(request));
    expect(error).toMatchObject({ code: "RECORDING_UNAVAILABLE", retryable: true });
    expect(await readFile(store.fileOf(location))).toEqual(audio("complete"));
    expect(await readdir(join(dir, "org-1"))).toEqual(["call-1.wav"]);
  });

  it("a first download that fails leaves no file at all", async () => {
    const store = filesystemRecordings({ dir });
    source.set("/rec.wav", { kind: "break", body: Buffer.alloc(64 * 1024, 7), sent: 1024 });
    await failureOf(store.save({ orgId: "org-1", callId: "call-1", sourceUrl: source.url("/rec.wav") }));
    expect(await readdir(join(dir, "org-1"))).toEqual([]);
  });

  it("4xx is not retryable; 408, 429 and 5xx are", async () => {
    const store = filesystemRecordings({ dir });
    const outcomes: [number, string, boolean][] = [];
    for (const status of [400, 403, 404, 410, 408, 429, 500, 503]) {
      source.set(`/s${status}.wav`, { kind: "status", status });
      const error = await failureOf(
        store.save({ orgId: "o", callId: `c${status}`, sourceUrl: source.url(`/s${status}.wav`) }),
      );
      outcomes.push([status, error.code, error.retryable]);
      expect(error.message).not.toContain("127.0.0.1");
    }
    expect(outcomes).toEqual([
      [400, "RECORDING_REJECTED", false],
      [403, "RECORDING_REJECTED", false],
      [404, "RECORDING_REJECTED", false],
      [410, "RECORDING_REJECTED", false],
      [408, "RECORDING_UNAVAILABLE", true],
      [429, "RECORDING_UNAVAILABLE", true],
      [500, "RECORDING_UNAVAILABLE", true],
      [503, "RECORDING_UNAVAILABLE", true],
    ]);
    expect(await readdir(join(dir, "o"))).toEqual([]);
  });

  it("an unreachable source and a time-out are retryable", async () => {
    const store = filesystemRecordings({ dir, timeoutMs: 200 });
    const closed = source.url("/rec.wav");
    await source.close();
    const refused = await failureOf(store.save({ orgId: "o", callId: "c1", sourceUrl: closed }));
    expect(refused).toMatchObject({ code: "RECORDING_UNAVAILABLE", retryable: true });

    source = await startSource();
    source.set("/slow.wav", { kind: "stall" });
    const started = performance.now();
    const timedOut = await failureOf(store.save({ orgId: "o", callId: "c2", sourceUrl: source.url("/slow.wav") }));
    expect(timedOut).toMatchObject({ code: "RECORDING_UNAVAILABLE", retryable: true });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await readdir(join(dir, "o"))).toEqual([]);
  });

  it("refuses a recording over maxBytes, announced or streamed, keeping nothing (not retryable)", async () => {
    const store = filesystemRecordings({ dir, maxBytes: 100 });
    source.set("/big.wav", { kind: "bytes", body: Buffer.alloc(101) });
    source.set("/big-chunked.wav", { kind: "bytes", body: Buffer.alloc(5_000), chunked: true });
    for (const path of ["/big.wav", "/big-chunked.wav"]) {
      const error = await failureOf(store.save({ orgId: "o", callId: "c", sourceUrl: source.url(path) }));
      expect(error).toMatchObject({ code: "RECORDING_TOO_LARGE", retryable: false });
    }
    expect(await readdir(join(dir, "o"))).toEqual([]);
    source.set("/fits.wav", { kind: "bytes", body: Buffer.alloc(100) });
    await expect(store.save({ orgId: "o", callId: "c", sourceUrl: source.url("/fits.wav") })).resolves.toEqual({
      location: "o/c.wav",
    });
  });

  it("refuses a source that is not an http(s) URL (not retryable)", async () => {
    const store = filesystemRecordings({ dir });
    for (const sourceUrl of ["file:///etc/passwd", "not a url", "ftp://example.test/rec.wav"]) {
      const error = await failureOf(store.save({ orgId: "o", callId: "c", sourceUrl }));
      expect(error).toMatchObject({ code: "RECORDING_REJECTED", retryable: false });
    }
  });

  it("ids cannot leave dir, and distinct ids keep distinct files", async () => {
    const store = filesystemRecordings({ dir });
    source.set("/rec.wav", { kind: "bytes", body: audio("x") });
    const sourceUrl = source.url("/rec.wav");
    const locations = [];
    for (const [orgId, callId] of [
      ["../../evil", "../../../etc/passwd"],
      ["org", ".."],
      ["org", "a.b"],
      ["org", "a_b"],
      ["org", "a/b"],
      ["org", "a%2Fb"],
    ] as const) {
      const { location } = await store.save({ orgId, callId, sourceUrl });
      expect(store.fileOf(location).startsWith(`${dir}/`)).toBe(true);
      locations.push(location);
    }
    expect(new Set(locations).size).toBe(locations.length);
    expect((await readdir(dir)).sort()).toEqual(["%2E%2E%2F%2E%2E%2Fevil", "org"]);
    expect(() => store.fileOf("../outside.wav")).toThrow(ValidationFailed);
    expect(() => store.fileOf("/etc/passwd")).toThrow(ValidationFailed);
    await expect(store.save({ orgId: "org", callId: "", sourceUrl })).rejects.toBeInstanceOf(ValidationFailed);
  });

  it("through the core's recording job: the call ends completed with its location, the file in place", async () => {
    const recordings = filesystemRecordings({ dir });
    source.set("/0b1c2d3e-mono.wav", { kind: "bytes", body: audio("call audio"), contentType: "audio/wav" });
    const t = testVoxanne({ recordings });
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    await t.feed(
      org.id,
      callEvents({
        vendorCallId: "v-recorded",
        customerNumber: "+15555559401",
        startedAt: t.clock.now(),
        durationSeconds: 60,
        transcript: "botox please",
        recordingUrl: source.url("/0b1c2d3e-mono.wav"),
      }),
    );
    const [call] = (await t.voxanne.calls.list(org.id)).items;
    expect(call).toMatchObject({ recordingStatus: "completed", recordingLocation: `${org.id}/${call?.id}.wav` });
    expect(await readFile(recordings.fileOf(call?.recordingLocation ?? ""))).toEqual(audio("call audio"));
  });
});
