/**
 * The API's request shapes, in valibot. The same schemas validate requests (before any use case
 * runs) and describe them in the OpenAPI document, so the two cannot drift apart.
 */
import type { FieldIssue } from "@voxanne/core";
import {
  ANALYTICS_INTERVALS,
  CALL_DIRECTIONS,
  CALL_STATUSES,
  LEAD_STATUSES,
  LEAD_TEMPERATURES,
  RECORDING_STATUSES,
} from "@voxanne/core";
import type { ValidationTargets } from "hono";
import { validator } from "hono-openapi";
import * as v from "valibot";
import { invalidRequest } from "./httpErrors.ts";

const Text = (max: number) => v.pipe(v.string("must be a string"), v.maxLength(max, "is too long"));

export const Id = v.pipe(Text(100), v.minLength(1, "is required"));

/** A query-string instant: ISO 8601 with a time and zone, e.g. `2026-01-25T09:00:00Z`. */
const Instant = v.pipe(
  v.string("must be a string"),
  v.isoTimestamp("must be an ISO 8601 timestamp, e.g. 2026-01-25T09:00:00Z"),
  v.transform((s) => new Date(s)),
);

const Limit = v.pipe(
  v.string("must be a string"),
  v.regex(/^\d{1,3}$/, "must be a whole number from 1 to 100"),
  v.transform(Number),
  v.minValue(1, "must be at least 1"),
  v.maxValue(100, "must be at most 100"),
);

const PageQuery = { limit: v.optional(Limit), cursor: v.optional(Text(200)) };
const RangeQuery = { from: v.optional(Instant), to: v.optional(Instant) };

export const IdParam = v.object({ id: Id });

export const PulseQuery = v.object(RangeQuery);

/** The analytics time series: buckets of `interval` (default day) over an optional range. */
export const TimeseriesQuery = v.object({
  interval: v.optional(v.picklist(ANALYTICS_INTERVALS, "must be day, week or month")),
  ...RangeQuery,
});

export const CallsQuery = v.object({
  direction: v.optional(v.picklist(CALL_DIRECTIONS, "is not a call direction")),
  status: v.optional(v.picklist(CALL_STATUSES, "is not a call status")),
  recordingStatus: v.optional(v.picklist(RECORDING_STATUSES, "is not a recording status")),
  ...RangeQuery,
  ...PageQuery,
});

export const ContactsQuery = v.object({
  leadStatus: v.optional(v.picklist(LEAD_STATUSES, "is not a lead status")),
  leadTemperature: v.optional(v.picklist(LEAD_TEMPERATURES, "is not a lead temperature")),
  q: v.optional(Text(100)),
  ...PageQuery,
});

const Name = v.pipe(Text(120), v.trim(), v.minLength(1, "must not be empty"));
const Email = v.pipe(Text(254), v.trim(), v.email("must be an email address"));
const nonEmpty = v.check((p: object) => Object.keys(p).length > 0, "must change at least one field");

export const ContactPatch = v.pipe(
  v.partial(
    v.strictObject({
      name: v.nullable(Name),
      email: v.nullable(Email),
      leadStatus: v.picklist(LEAD_STATUSES, "is not a lead status"),
    }),
  ),
  nonEmpty,
);

export const SmsBody = v.strictObject({
  body: v.pipe(Text(1_600), v.trim(), v.minLength(1, "must not be empty")),
});

const Service = {
  name: Name,
  priceCents: v.pipe(
    v.number("must be a number"),
    v.integer("must be a whole number of cents"),
    v.minValue(0, "must not be negative"),
    v.maxValue(100_000_000, "is too large"),
  ),
  keywords: v.pipe(
    v.array(v.pipe(Text(60), v.minLength(1, "must not be empty")), "must be a list of keywords"),
    v.minLength(1, "needs at least one keyword"),
    v.maxLength(50, "has too many keywords"),
  ),
};

export const ServiceCreate = v.strictObject(Service);
export const ServicePatch = v.pipe(v.partial(v.strictObject(Service)), nonEmpty);

/** A signed recording link's query; the core checks the signature, so only the shape is checked here. */
export const RecordingLinkQuery = v.object({
  org: v.optional(Text(100)),
  expires: v.optional(Text(20)),
  sig: v.optional(Text(200)),
});

/** `["keywords", 0]` → `keywords.0`, the same dotted form the core's issues use. */
export const issuePath = (issue: { readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> }) =>
  (issue.path ?? []).map((segment) => String(typeof segment === "object" ? segment.key : segment)).join(".");

/**
 * Validates one part of the request with `schema` (and registers it for the OpenAPI document);
 * a failure answers 400 with every bad field named, before the handler runs.
 */
export const input = <Schema extends v.GenericSchema, Target extends keyof ValidationTargets>(
  target: Target,
  schema: Schema,
) =>
  validator(target, schema, (result, c) => {
    if (result.success) return;
    const issues: FieldIssue[] = result.error.map((issue) => ({ path: issuePath(issue), message: issue.message }));
    const { status, body } = invalidRequest(issues);
    return c.json(body, status);
  });
