/** Valibot shapes shared by several use cases. */
import * as v from "valibot";
import { toE164 } from "../../domain/phone.ts";

export const Id = v.pipe(
  v.string(),
  v.minLength(1, "is required"),
  v.maxLength(100, "is too long"),
  // No stored id holds one, and PostgreSQL text refuses NUL: a lookup with it would fail, not miss.
  v.regex(/^\P{Cc}*$/u, "must not contain control characters"),
);

/** Replaces a string by its normal form, or refuses it with `message` when it has none. */
export const normalisedBy = (normalise: (input: string) => string | undefined, message: string) =>
  v.rawTransform<string, string>(({ dataset, addIssue, NEVER }) => {
    const normal = normalise(dataset.value);
    if (normal === undefined) {
      addIssue({ message });
      return NEVER;
    }
    return normal;
  });

/** A phone number, normalised to E.164. */
export const Phone = v.pipe(
  v.string("must be a string"),
  v.maxLength(40, "is too long"),
  normalisedBy(toE164, "must be a phone number in E.164 format, e.g. +15555550100"),
);

export const Name = v.pipe(v.string(), v.trim(), v.minLength(1, "must not be empty"), v.maxLength(120, "is too long"));

export const Email = v.pipe(v.string(), v.trim(), v.maxLength(254, "is too long"), v.email("must be an email address"));

export const TimeRangeInput = v.pipe(
  v.object({ from: v.optional(v.date("must be a date")), to: v.optional(v.date("must be a date")) }),
  v.check((r) => !r.from || !r.to || r.from < r.to, "from must be before to"),
);

export const PageInput = v.object({
  limit: v.optional(v.pipe(v.number(), v.integer("must be an integer"), v.minValue(1), v.maxValue(100))),
  cursor: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(200, "is too long")))),
});
