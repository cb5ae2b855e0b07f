import * as v from "valibot";
import { ValidationFailed } from "../../domain/errors.ts";

/**
 * Parses `input` with a valibot schema, or throws `ValidationFailed` naming every bad field.
 * The one bridge from valibot's issues to the core's error, for every use case.
 */
export function validate<S extends v.GenericSchema>(schema: S, input: unknown, code?: string): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw new ValidationFailed(
    result.issues.map((issue) => ({ path: v.getDotPath(issue) ?? "", message: issue.message })),
    code,
  );
}
