import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import { ValidationFailed } from "./errors.ts";

/** An E.164 phone number such as `+15555550100`. */
export type PhoneNumber = string;

/**
 * Normalises a phone number to E.164, or returns `undefined` when it is not a possible number.
 * Accepts international input with separators (`+1 (555) 555-0100`); a number without a
 * country code is refused, since a clinic's callers may come from anywhere.
 */
export function toE164(input: string): PhoneNumber | undefined {
  if (typeof input !== "string" || !input.trim().startsWith("+")) return undefined;
  const parsed = parsePhoneNumberFromString(input.trim());
  return parsed?.isPossible() ? parsed.number : undefined;
}

/** Like {@link toE164} but throws `ValidationFailed` naming `path`. */
export function requireE164(input: string, path = "phone"): PhoneNumber {
  const phone = toE164(input);
  if (!phone)
    throw new ValidationFailed([{ path, message: "must be a phone number in E.164 format, e.g. +15555550100" }]);
  return phone;
}
