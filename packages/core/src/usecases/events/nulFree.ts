/**
 * Vendor payloads with NUL characters (U+0000) in them: PostgreSQL's text and jsonb cannot hold
 * one, so such a webhook would be refused with a 5xx and retried by the vendor forever. A NUL
 * never carries meaning in a vendor's JSON, so it becomes U+FFFD (the replacement character) in
 * every string and key, and the webhook is stored like any other.
 */

const NUL = "\u0000";
const REPLACEMENT = "\uFFFD";

/** `value` with every NUL in its strings and keys replaced; the same object when it has none. */
export function withoutNul<T>(value: T): T {
  return replaceNul(value) as T;
}

function replaceNul(value: unknown): unknown {
  if (typeof value === "string") return value.includes(NUL) ? value.replaceAll(NUL, REPLACEMENT) : value;
  if (Array.isArray(value)) {
    const items = value.map(replaceNul);
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (value !== null && typeof value === "object") {
    let changed = false;
    const entries = Object.entries(value).map(([key, item]) => {
      const cleanKey = replaceNul(key) as string;
      const cleanItem = replaceNul(item);
      changed ||= cleanKey !== key || cleanItem !== item;
      return [cleanKey, cleanItem] as const;
    });
    return changed ? Object.fromEntries(entries) : value;
  }
  return value;
}

/**
 * Whether a JSON text may hold a NUL: JSON can only spell one as the escape `\u0000` (raw control
 * characters are not allowed in its strings). A false alarm (an escaped backslash before `u0000`)
 * only costs a look at the parsed value.
 */
export const jsonMayHoldNul = (json: string): boolean => json.includes("\\u0000");
