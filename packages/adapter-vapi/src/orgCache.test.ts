import type { Organization } from "@voxanne/core";
import { expect, it } from "vitest";
import { orgCache } from "./orgCache.ts";

const org = (id: string) => ({ id }) as Organization;

it("keeps an org for ttlMs after it was stored, not refreshed by reads", () => {
  let now = 0;
  const cache = orgCache(1_000, 10, () => now);
  cache.set("a", org("1"));
  now = 900;
  expect(cache.get("a")?.id).toBe("1");
  now = 1_000;
  expect(cache.get("a")).toBeUndefined();
});

it("forgets on demand, and a later store starts a new lifetime", () => {
  let now = 0;
  const cache = orgCache(1_000, 10, () => now);
  cache.set("a", org("1"));
  cache.forget("a");
  expect(cache.get("a")).toBeUndefined();
  now = 500;
  cache.set("a", org("2"));
  now = 1_400;
  expect(cache.get("a")?.id).toBe("2");
});

it("holds at most maxEntries, dropping the oldest", () => {
  const cache = orgCache(1_000, 2, () => 0);
  cache.set("a", org("1"));
  cache.set("b", org("2"));
  cache.set("c", org("3"));
  expect([cache.get("a"), cache.get("b")?.id, cache.get("c")?.id]).toEqual([undefined, "2", "3"]);
});

it("remembers nothing with a ttl of 0", () => {
  const cache = orgCache(0);
  cache.set("a", org("1"));
  expect(cache.get("a")).toBeUndefined();
});
