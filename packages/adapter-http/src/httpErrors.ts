/**
 * The one place where failures become HTTP statuses. Bodies are `{ error: { code, message, issues? } }`
 * and never carry a stack, SQL or vendor text: unknown errors become a bare 500 `INTERNAL`.
 */
import type { FieldIssue, VoxanneError } from "@voxanne/core";
import { isVoxanneError, ValidationFailed, VendorFailed } from "@voxanne/core";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface ErrorBody {
  error: { code: string; message: string; issues?: FieldIssue[] };
}

export interface HttpError {
  status: ContentfulStatusCode;
  body: ErrorBody;
  headers?: Record<string, string>;
}

/** Seconds a client should wait before retrying a retryable vendor failure. */
export const VENDOR_RETRY_AFTER_SECONDS = 30;

export const errorBody = (code: string, message: string, issues?: FieldIssue[]): ErrorBody => ({
  error: issues ? { code, message, issues } : { code, message },
});

/** Codes whose status is more precise than their kind's: a bad recording link is refused, not "invalid input". */
const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  RECORDING_LINK_INVALID: 403,
  RECORDING_LINK_EXPIRED: 410,
};

/** Hono's own refusals (malformed JSON...), with a code instead of its plain-text body. */
function fromHttpException(error: HTTPException): HttpError {
  const status = (error.status >= 400 ? error.status : 500) as ContentfulStatusCode;
  if (status >= 500) return internal();
  return {
    status,
    body: errorBody(status === 400 ? "BAD_REQUEST" : "REQUEST_REFUSED", error.message || "Bad request"),
  };
}

const internal = (): HttpError => ({ status: 500, body: errorBody("INTERNAL", "Something went wrong on our side") });

/** Status by core error kind; a retryable vendor failure is a 503 the client may retry. */
function fromVoxanneError(error: VoxanneError): HttpError {
  const body = errorBody(error.code, error.message);
  const byCode = STATUS_BY_CODE[error.code];
  if (byCode) return { status: byCode, body };
  switch (error.kind) {
    case "NotFound":
      return { status: 404, body };
    case "Conflict":
      return { status: 409, body };
    case "ValidationFailed":
      return { status: 400, body: errorBody(error.code, error.message, issuesOf(error)) };
    case "NotConfigured":
    case "OptedOut":
      return { status: 422, body };
    case "VendorFailed":
      return error instanceof VendorFailed && error.retryable
        ? { status: 503, body, headers: { "Retry-After": String(VENDOR_RETRY_AFTER_SECONDS) } }
        : { status: 502, body };
  }
}

/** Only the path and message: the core's issues may one day carry more than a client should see. */
const issuesOf = (error: VoxanneError): FieldIssue[] =>
  error instanceof ValidationFailed ? error.issues.map(({ path, message }) => ({ path, message })) : [];

/** Maps anything thrown by a use case (or a bug) to a response description. */
export function toHttpError(error: unknown): HttpError {
  if (isVoxanneError(error)) return fromVoxanneError(error);
  if (error instanceof HTTPException) return fromHttpException(error);
  return internal();
}

/** A request-level validation failure (before any use case ran), naming each bad field. */
export const invalidRequest = (fieldIssues: FieldIssue[]): HttpError => ({
  status: 400,
  body: errorBody(
    "VALIDATION_FAILED",
    fieldIssues.map((i) => `${i.path || "input"}: ${i.message}`).join("; "),
    fieldIssues,
  ),
});
