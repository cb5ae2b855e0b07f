import { describe, expect, it } from "vitest";
import { ApiError, createApi, withQuery } from "../public/app/lib/api.js";
import { parseKeywords, parsePrice } from "../public/app/lib/format.js";
import { matches, upsertById } from "../public/app/lib/lists.js";

const json = (status, body, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("createApi", () => {
  it("sends the bearer token and JSON, and leaves empty filters out of the query", async () => {
    const seen = [];
    const api = createApi("tok", {
      fetch: async (path, init) => {
        seen.push({ path, init });
        return json(200, { ok: true });
      },
    });
    await api.get("/api/contacts", { leadStatus: "new", leadTemperature: "", cursor: undefined });
    await api.post("/api/contacts/c1/sms", { body: "hi" });
    expect(seen[0].path).toBe("/api/contacts?leadStatus=new");
    expect(seen[0].init.headers).toEqual({ authorization: "Bearer tok" });
    expect(seen[1].init).toMatchObject({ method: "POST", body: '{"body":"hi"}' });
    expect(seen[1].init.headers["content-type"]).toBe("application/json");
  });

  it("turns an error body into a message with its field issues and Retry-After", async () => {
    const api = createApi("tok", {
      fetch: async (path) =>
        path.includes("services")
          ? json(400, {
              error: {
                code: "INVALID_REQUEST",
                message: "Invalid request",
                issues: [{ path: "priceCents", message: "must not be negative" }],
              },
            })
          : json(
              503,
              { error: { code: "VENDOR_UNAVAILABLE", message: "The phone service is unavailable" } },
              { "retry-after": "30" },
            ),
    });
    const invalid = await api.patch("/api/services/s1", { priceCents: -1 }).catch((e) => e);
    expect(invalid).toBeInstanceOf(ApiError);
    expect(invalid).toMatchObject({
      status: 400,
      code: "INVALID_REQUEST",
      message: "Invalid request: priceCents must not be negative",
    });
    const busy = await api.post("/api/contacts/c1/call-back").catch((e) => e);
    expect(busy.message).toBe("The phone service is unavailable Try again in 30 s.");
  });

  it("signs out on a 401", async () => {
    let signedOut = 0;
    const api = createApi("old", { fetch: async () => json(401, {}), onUnauthorized: () => signedOut++ });
    await expect(api.get("/api/services")).rejects.toMatchObject({ status: 401 });
    expect(signedOut).toBe(1);
  });

  it("keeps only the final URL of a recording redirect, without reading the audio", async () => {
    let cancelled = false;
    const response = new Response(
      new ReadableStream({
        cancel() {
          cancelled = true;
        },
      }),
      { status: 200 },
    );
    Object.defineProperty(response, "url", { value: "http://x/api/calls/c1/recording/file?sig=1" });
    const api = createApi("tok", { fetch: async () => response });
    expect(await api.recordingLink("c1")).toBe("http://x/api/calls/c1/recording/file?sig=1");
    expect(cancelled).toBe(true);
  });
});

describe("form and list helpers", () => {
  it("reads prices in the currency's unit and keyword lists", () => {
    expect(parsePrice("432.10")).toBe(43_210);
    expect(parsePrice("1,250")).toBe(125_000);
    expect(parsePrice("abc")).toBeUndefined();
    expect(parsePrice("1.234")).toBeUndefined();
    expect(parsePrice("-5")).toBeUndefined();
    expect(parseKeywords(" botox, wrinkle ,, injection ")).toEqual(["botox", "wrinkle", "injection"]);
    expect(withQuery("/x", {})).toBe("/x");
  });

  it("upserts by id (new ones first) and filters like the API", () => {
    const list = [
      { id: "a", v: 1 },
      { id: "b", v: 1 },
    ];
    expect(upsertById(list, { id: "b", v: 2 })).toEqual([
      { id: "a", v: 1 },
      { id: "b", v: 2 },
    ]);
    expect(upsertById(list, { id: "c", v: 1 }).map((x) => x.id)).toEqual(["c", "a", "b"]);
    expect(matches({ leadStatus: "new", leadTemperature: "hot" }, { leadStatus: "new", leadTemperature: "" })).toBe(
      true,
    );
    expect(matches({ leadStatus: "lost" }, { leadStatus: "new" })).toBe(false);
  });
});
