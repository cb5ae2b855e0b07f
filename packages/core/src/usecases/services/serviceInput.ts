import * as v from "valibot";
import { Name, normalisedBy } from "../shared/schemas.ts";
import { normaliseKeyword } from "../transcript/words.ts";

/** A keyword as the matcher sees it (lowercase words); refused when it has no word in it. */
const Keyword = v.pipe(
  v.string("must be a string"),
  v.maxLength(60, "is too long"),
  normalisedBy(normaliseKeyword, "must contain a word"),
);

export const PriceCents = v.pipe(
  v.number("must be a number"),
  v.integer("must be a whole number of cents"),
  v.minValue(0, "must not be negative"),
  v.maxValue(100_000_000, "is too large"),
);

export const Keywords = v.pipe(
  v.array(Keyword, "must be a list of keywords"),
  v.minLength(1, "needs at least one keyword"),
  v.maxLength(50, "has too many keywords"),
  v.transform((keywords) => [...new Set(keywords)]),
);

export const ServiceInput = v.object({ name: Name, priceCents: PriceCents, keywords: Keywords });
export const ServicePatch = v.pipe(
  v.partial(ServiceInput),
  v.check((p) => Object.keys(p).length > 0, "must change at least one field"),
);
