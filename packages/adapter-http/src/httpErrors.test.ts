import { Conflict, NotConfigured, NotFound, OptedOut, ValidationFailed, VendorFailed } from "@voxanne/core";
import { HTTPException } from "hono/http-exception";
import { describe, expect, test } from "vitest";
import { toHttpError } from "./httpErrors.ts";

describe("toHttpError", () => {
  test.each([
    ["NotFound", new NotFound("call", "c1"), 404, "CALL_NOT_FOUND"],
    ["Conflict", new Conflict("LEAD_STATUS_BACKWARDS", "no"), 409, "LEAD_STATUS_BACKWARDS"],
    ["ValidationFailed", new ValidationFailed([{ path: "name", message: "is required" }]), 400, "VALIDATION_FAILED"],
    [
      "NotConfigured",
      new NotConfigured("OUTBOUND_AGENT_NOT_CONFIGURED", "set it"),
      422,
      "OUTBOUND_AGENT_NOT_CONFIGURED",
    ],
    ["OptedOut", new OptedOut(), 422, "SMS_OPTED_OUT"],
    [
      "VendorFailed (final)",
      new VendorFailed("CALLBACK_FAILED", "try later", { retryable: false }),
      502,
      "CALLBACK_FAILED",
    ],
    [
      "VendorFailed (retryable)",
      new VendorFailed("CALLBACK_FAILED", "try later", { retryable: true }),
      503,
      "CALLBACK_FAILED",
    ],
  ])("%s → %i", (_, error, status, code) => {
    const mapped = toHttpError(error);
    expect(mapped.status).toBe(status);
    expect(mapped.body.error.code).toBe(code);
  });

  test("a retryable vendor failure says when to retry", () => {
    const mapped = toHttpError(new VendorFailed("SMS_FAILED", "later", { retryable: true }));
    expect(mapped.headers?.["Retry-After"]).toMatch(/^\d+$/);
  });

  test("validation issues are passed on, path and message only", () => {
    const error = new ValidationFailed([{ path: "keywords.0", message: "must contain a word" }]);
    expect(toHttpError(error).body.error.issues).toEqual([{ path: "keywords.0", message: "must contain a word" }]);
  });

  test("recording links: forged → 403, expired → 410", () => {
    const forged = new ValidationFailed([{ path: "sig", message: "bad" }], "RECORDING_LINK_INVALID");
    const expired = new ValidationFailed([{ path: "expires", message: "old" }], "RECORDING_LINK_EXPIRED");
    expect(toHttpError(forged).status).toBe(403);
    expect(toHttpError(expired).status).toBe(410);
  });

  test("unknown errors are a bare 500 INTERNAL, without their message", () => {
    const mapped = toHttpError(new Error('duplicate key (phone)=(+15555550111) in "contacts"'));
    expect(mapped).toEqual({ status: 500, body: { error: { code: "INTERNAL", message: expect.any(String) } } });
    expect(JSON.stringify(mapped)).not.toContain("5555");
  });

  test("Hono's own refusals keep their 4xx status with a code", () => {
    expect(toHttpError(new HTTPException(400, { message: "Malformed JSON in request body" }))).toMatchObject({
      status: 400,
      body: { error: { code: "BAD_REQUEST" } },
    });
  });
});
