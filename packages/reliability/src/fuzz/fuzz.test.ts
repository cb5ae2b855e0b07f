/**
 * Hostile input against a real server on a real port (PostgreSQL, the whole composition): every
 * operation of /openapi.json (so a new route is fuzzed as soon as it is documented) and the three
 * vendor webhooks, with fast-check. Properties, per request: never a 5xx; a forged or missing token
 * never passes; a refused request writes nothing (a fingerprint of every table, event log and
 * outbox included, before and after); an accepted write touches only the caller's own tenant and
 * came from an input the document's schema accepts; no answer to one tenant holds the other's ids,
 * names or phone numbers.
 *
 * FUZZ_RUNS (default 50) runs per operation; a failure prints fast-check's seed and path, and
 * FUZZ_SEED=<seed> replays it.
 */
import type { Database } from "@voxanne/adapter-postgres";
import { openPostgres } from "@voxanne/adapter-postgres";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { credentials } from "./credentials.ts";
import { JWT_SECRET, startFuzzServer, TWILIO_AUTH_TOKEN } from "./fuzzServer.ts";
import { documentedOperations } from "./operations.ts";
import { rawRequest } from "./rawRequest.ts";
import type { FuzzContext, FuzzRequest } from "./requests.ts";
import { apiRequest, twilioRequest, vapiRequest } from "./requests.ts";
import { satisfies } from "./schemaCheck.ts";
import { tableHashes, tablesOf } from "./tableHashes.ts";

const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const FUZZ_SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

const fuzz = await startFuzzServer();
const superuser: Database = openPostgres(fuzz.databaseUrl, { max: 1 });
const tables = await tablesOf(superuser);
const operations = await documentedOperations(fuzz.url);
const context: FuzzContext = {
  a: fuzz.a,
  b: fuzz.b,
  credentials: await credentials(JWT_SECRET, fuzz.a, fuzz.b),
  publicUrl: fuzz.url,
  twilioAuthToken: TWILIO_AUTH_TOKEN,
};
/** Public on purpose: health, and the recording file (its signed link is its authorization). */
const PUBLIC = new Set(["/health", "/api/calls/{id}/recording/file"]);

afterAll(async () => {
  await superuser.close();
  await fuzz.close();
});

const snapshot = () => tableHashes(superuser, tables, [fuzz.a.id, fuzz.b.id]);
const changed = (
  before: Awaited<ReturnType<typeof snapshot>>,
  after: typeof before,
  pick: (h: (typeof before)[string]) => string,
) =>
  Object.keys(after).filter(
    (table) => pick(before[table] ?? { all: "", orgs: [] }) !== pick(after[table] ?? { all: "", orgs: [] }),
  );

/**
 * What each tenant's own accepted writes sent. A marker of the other tenant that a tenant wrote
 * itself (say, a text from the other clinic's caller to this clinic's number) is its own data from
 * then on, not a leak when it reads it back.
 */
const wroteByTenant = { a: [] as string[], b: [] as string[] };

/** Sends one request and checks every property; a failure names the request. */
async function check(request: FuzzRequest, operationIsPublic: boolean) {
  const before = await snapshot();
  const response = await rawRequest(fuzz.url, request.raw);
  await fuzz.server.voxanne.settle(); // a write's background projection lands before the next snapshot
  const after = await snapshot();
  const what = `${request.raw.method} ${request.raw.path.slice(0, 200)} → ${response.status} ${response.body.slice(0, 300)}`;

  // Only an oversized body may be cut off (the server answers 413 and closes before reading it all).
  if (!request.oversize) expect(response.status, `no answer: ${what}`).not.toBe(0);
  expect(response.status, `server error: ${what}`).toBeLessThan(500);
  if (request.entitled === "none" && !operationIsPublic && !request.raw.path.startsWith("/webhooks/")) {
    expect(response.status, `a forged or missing token passed: ${what}`).toBeGreaterThanOrEqual(400);
  }

  const written = changed(before, after, (h) => h.all);
  const body = String(request.raw.body ?? "");
  // What the request carried, also as a form decodes it (Twilio's bodies): `From=%2B1312…` sent a phone.
  const sent = `${request.raw.path} ${body} ${formDecoded(body)}`;
  if (written.length > 0) {
    expect(response.status < 300, `a refused request wrote ${written}: ${what}`).toBe(true);
    expect(request.entitled, `wrote ${written} without credentials: ${what}`).not.toBe("none");
    if (request.entitled === "a" || request.entitled === "b") {
      wroteByTenant[request.entitled].push(sent);
      const otherIndex = request.entitled === "a" ? 1 : 0;
      expect(
        changed(before, after, (h) => h.orgs[otherIndex] ?? ""),
        `wrote the other tenant's rows: ${what}`,
      ).toEqual([]);
    }
    if (request.schema && request.json !== undefined) {
      expect(satisfies(request.schema, request.json), `accepted and wrote an input its schema refuses: ${what}`).toBe(
        true,
      );
    }
  }

  if (request.entitled === "a" || request.entitled === "b") {
    const other = request.entitled === "a" ? fuzz.b : fuzz.a;
    const ownWrites = wroteByTenant[request.entitled];
    const leaked = other.markers.filter(
      (m) => response.body.includes(m) && !sent.includes(m) && !ownWrites.some((w) => w.includes(m)),
    );
    expect(leaked, `the other tenant's data in the answer: ${what}`).toEqual([]);
  }
}

/** `text` as `application/x-www-form-urlencoded` decodes it; as it is where that fails. */
function formDecoded(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return text;
  }
}

const runs = (arbitrary: fc.Arbitrary<FuzzRequest>, operationIsPublic: boolean) =>
  fc.assert(
    fc.asyncProperty(arbitrary, (request) => check(request, operationIsPublic)),
    { numRuns: FUZZ_RUNS, ...(FUZZ_SEED !== undefined && { seed: FUZZ_SEED }), endOnFailure: true },
  );

describe("hostile input: every documented endpoint and webhook", () => {
  it("the document lists the three vendor webhooks and the API", () => {
    const listed = operations.map((o) => `${o.method} ${o.path}`);
    expect(listed).toEqual(
      expect.arrayContaining(["POST /webhooks/vapi", "POST /webhooks/twilio/status", "POST /webhooks/twilio/inbound"]),
    );
    expect(listed.filter((o) => o.includes(" /api/")).length).toBeGreaterThanOrEqual(15);
  });

  for (const operation of operations) {
    it(`${operation.method} ${operation.path}`, async () => {
      const arbitrary =
        operation.path === "/webhooks/vapi"
          ? vapiRequest(context)
          : operation.path.startsWith("/webhooks/twilio/")
            ? twilioRequest(operation.path, context)
            : apiRequest(operation, context);
      await runs(arbitrary, PUBLIC.has(operation.path));
    });
  }
});
