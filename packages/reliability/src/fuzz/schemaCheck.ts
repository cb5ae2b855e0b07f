/**
 * Whether a value satisfies the JSON Schema the OpenAPI document gives for it: the subset the
 * document uses (type, enum, anyOf, lengths, bounds, pattern, required, additionalProperties,
 * items, email and date-time formats). The fuzzer asks it only of inputs the server accepted with a
 * write: such an input must really be valid.
 */
type Schema = Record<string, unknown>;

const typeOk = (type: unknown, value: unknown) => {
  switch (type) {
    case undefined:
      return true;
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      return false;
  }
};

export function satisfies(schema: Schema, value: unknown): boolean {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Schema[]).some((s) => satisfies(s, value));
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false;
  if (!typeOk(schema.type, value)) return false;
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength) return false;
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) return false;
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) return false;
    if (schema.format === "email" && !/^[^@\s]+@[^@\s]+$/.test(value)) return false;
    if (schema.format === "date-time" && Number.isNaN(Date.parse(value))) return false;
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) return false;
    if (typeof schema.maximum === "number" && value > schema.maximum) return false;
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) return false;
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) return false;
    if (schema.items && !value.every((item) => satisfies(schema.items as Schema, item))) return false;
  }
  if (typeOk("object", value) && schema.type === "object") {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    if (((schema.required ?? []) as string[]).some((key) => !(key in object))) return false;
    for (const [key, item] of Object.entries(object)) {
      const property = properties[key];
      if (property ? !satisfies(property, item) : schema.additionalProperties === false) return false;
    }
  }
  return true;
}
