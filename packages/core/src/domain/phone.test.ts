import { describe, expect, it } from "vitest";
import { ValidationFailed } from "./errors.ts";
import { requireE164, toE164 } from "./phone.ts";

describe("phone numbers", () => {
  it.each([
    ["+15555550100", "+15555550100"],
    ["+1 (555) 555-0100", "+15555550100"],
    [" +44 20 7946 0958 ", "+442079460958"],
  ])("%s → %s", (input, e164) => {
    expect(toE164(input)).toBe(e164);
  });

  it.each(["", "5555550100", "+1", "+1555", "hello", "+15555550100000000", "+1555555010a"])("refuses %j", (input) => {
    expect(toE164(input)).toBeUndefined();
    expect(() => requireE164(input, "to")).toThrow(ValidationFailed);
  });

  it("names the field in the error", () => {
    try {
      requireE164("nope", "hotLeadAlertNumbers.0");
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationFailed).issues[0]?.path).toBe("hotLeadAlertNumbers.0");
    }
  });
});
