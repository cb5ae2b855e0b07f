import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./page.ts";

describe("cursors", () => {
  it("round-trip any position", () => {
    fc.assert(
      fc.property(
        fc.date({ noInvalidDate: true, min: new Date(0), max: new Date("9999-12-31") }),
        fc.uuid(),
        (createdAt, id) => {
          expect(decodeCursor(encodeCursor({ createdAt, id }))).toEqual({ createdAt, id });
        },
      ),
    );
  });

  it.each(["", "not a cursor", "%%%", btoa("2026-01-01|"), btoa("yesterday|abc")])("refuse %j", (cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});
