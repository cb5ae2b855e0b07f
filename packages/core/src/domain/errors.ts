/**
 * Typed errors of the core. Every expected failure is one of these, with a stable `code`
 * that adapters map (HTTP status, tool error...). Bugs still throw plain `Error`s.
 * Messages never contain personal data or vendor text; the original failure rides on `cause`.
 */
export type ErrorKind = "NotFound" | "Conflict" | "ValidationFailed" | "NotConfigured" | "VendorFailed" | "OptedOut";

export abstract class VoxanneError extends Error {
  abstract readonly kind: ErrorKind;
  /** Stable, machine-readable code such as `CONTACT_NOT_FOUND`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The record does not exist for this organization (another org's record is also "not found"). */
export class NotFound extends VoxanneError {
  readonly kind = "NotFound";
  constructor(entity: string, id: string) {
    super(`${entity.toUpperCase()}_NOT_FOUND`, `${entity} ${id} was not found`);
  }
}

/** The change clashes with existing state (duplicate phone, slot already booked...). */
export class Conflict extends VoxanneError {
  readonly kind = "Conflict";
}

/** One problem with one input field; `path` is dotted (`keywords.0`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The input is malformed; `issues` names each bad field. Nothing was changed. */
export class ValidationFailed extends VoxanneError {
  readonly kind = "ValidationFailed";
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[], code = "VALIDATION_FAILED", options?: { cause?: unknown }) {
    super(code, issues.map((i) => `${i.path || "input"}: ${i.message}`).join("; "), options);
    this.issues = issues;
  }
}

/** The organization lacks the configuration this action needs (e.g. no outbound assistant). */
export class NotConfigured extends VoxanneError {
  readonly kind = "NotConfigured";
}

/** A vendor (telephony, SMS) refused or failed. `retryable` says whether trying later may work. */
export class VendorFailed extends VoxanneError {
  readonly kind = "VendorFailed";
  readonly retryable: boolean;
  constructor(code: string, message: string, options: { retryable: boolean; cause?: unknown }) {
    super(code, message, { cause: options.cause });
    this.retryable = options.retryable;
  }
}

/** The recipient has opted out of SMS (texted STOP); nothing was sent. */
export class OptedOut extends VoxanneError {
  readonly kind = "OptedOut";
  constructor(options?: { cause?: unknown }) {
    super("SMS_OPTED_OUT", "The recipient has opted out of text messages", options);
  }
}

export const isVoxanneError = (e: unknown): e is VoxanneError => e instanceof VoxanneError;
