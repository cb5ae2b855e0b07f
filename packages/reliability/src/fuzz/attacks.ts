/**
 * The hostile values the fuzzer puts in every field, path segment, query parameter and header:
 * wrong types, huge strings, unicode that breaks naive code (lone surrogates, RTL overrides, NUL,
 * zero-width), SQL and script injection, path tricks, and the other tenant's ids.
 */
import fc from "fast-check";

export const INJECTIONS = [
  "' OR '1'='1",
  "1; DROP TABLE calls; --",
  "' UNION SELECT id, name FROM organizations --",
  '"; select pg_sleep(0); --',
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "javascript:alert(1)",
  "../../../etc/passwd",
  "..%2F..%2Fetc%2Fpasswd",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as text
  "${7*7}{{7*7}}#{7*7}",
  "%00",
  "%s%s%s%n",
  "__proto__",
  "constructor",
  "null",
  "undefined",
  "NaN",
  "-1",
  "1e309",
  "0x7fffffff",
  "9999999999999999999999",
];

export const TRICKY_UNICODE = [
  "\u0000",
  "nul\u0000inside",
  "\uD800",
  "lone \uDFFF low",
  "\u202Eevil\u202C",
  "שלום عربى",
  "zero\u200Bwidth\uFEFF",
  "😀👍🏽👨‍👩‍👧",
  "\u0007\u001b[31m",
  "e\u0301\u0301\u0301",
  "\r\nSet-Cookie: x=1",
];

/** Strings of every kind, with a few huge ones (a field's limit is far below them). */
export const attackString = (others: readonly string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS, ...TRICKY_UNICODE) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 2, arbitrary: others.length > 0 ? fc.constantFrom(...others) : fc.uuid() },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.constantFrom("x".repeat(5_000), "é".repeat(70_000), "\uD800".repeat(10_000)) },
  );

/** Any JSON value of a type a field may not expect. */
export const attackValue = (others: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: attackString(others) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        -1,
        0,
        1.5,
        -0,
        2 ** 31,
        2 ** 53 + 1,
        Number.MAX_SAFE_INTEGER,
        -Number.MAX_VALUE,
        1e21,
        true,
        false,
        null,
      ),
    },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxLength: 4 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom({}, { $gt: "" }, { __proto__: { admin: true } }, [[[]]], ["a".repeat(100)]),
    },
  );

/** Percent-encodes each UTF-8 byte (a lone surrogate becomes U+FFFD, as on the wire). */
export const encodeSegment = (value: string) =>
  [...Buffer.from(value, "utf8")]
    .map((byte) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).padStart(2, "0")}`,
    )
    .join("");

/** Path segments as a client may send them: encoded values, or raw broken escapes. */
export const attackSegment = (others: readonly string[]) =>
  fc.oneof(
    { weight: 5, arbitrary: attackString(others).map(encodeSegment) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("%", "%E0%A4%A", "%ED%A0%80", "%C0%AF", "%FF%FE", "..", "%2e%2e", "a%2Fb"),
    },
  );

/** Bodies that are not the JSON they claim to be. */
export const malformedBody = fc.oneof(
  fc.constantFrom(
    "",
    "{",
    '{"name": ',
    '{"a":1}trailing',
    "[]",
    "null",
    '"just a string"',
    "123",
    "NaN",
    '{"a":1,"a":2}',
    '{"__proto__":{"admin":true}}',
    '{"name":"\\ud800"}',
    '{"name":"\\u0000"}',
    "{'single':'quotes'}",
    '{"deep":'.repeat(5_000),
  ),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.uint8Array({ maxLength: 60 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d])), // {"a":"<CESU surrogate>"}
);
