/** The shared Vapi wire fixtures (`vendors/fixtures/vapi/`), read as templates by the fake Vapi. */
import { readFile } from "node:fs/promises";

/** Where the fixtures live, from this folder (`packages/adapter-vapi/src/testing`). */
export const VAPI_FIXTURES_DIR = new URL("../../../../../shared/vendors/fixtures/vapi/", import.meta.url);

const cache = new Map<string, Promise<unknown>>();

/** A fresh copy of a fixture's JSON, e.g. `readVapiFixture("create-call.response.json")`; callers may change it. */
export async function readVapiFixture<T>(name: string): Promise<T> {
  let parsed = cache.get(name);
  if (!parsed) {
    parsed = readFile(new URL(name, VAPI_FIXTURES_DIR), "utf8").then((text) => JSON.parse(text) as unknown);
    cache.set(name, parsed);
  }
  return structuredClone(await parsed) as T;
}

/**
 * `value` with every occurrence of the id `from` replaced by `to`, in all strings (monitor and
 * recording URLs carry the call id too). Ids are UUIDs: no JSON escaping to worry about.
 */
export function rebrand<T>(value: T, from: string, to: string): T {
  return JSON.parse(JSON.stringify(value).replaceAll(from, to)) as T;
}

/** A Vapi `Call` as the REST API returns it and webhooks carry it; the fields the fake reads or sets. */
export interface VapiCall {
  id: string;
  createdAt: string;
  updatedAt: string;
  type: string;
  status: string;
  assistantId?: string;
  phoneNumberId?: string;
  customer: { number: string; name?: string };
  assistantOverrides?: Record<string, unknown>;
  name?: string;
  startedAt?: string;
  endedAt?: string;
  endedReason?: string;
  [field: string]: unknown;
}

/** One server message (`{ message }` is what Vapi POSTs); the fields the fake reads or sets. */
export interface VapiMessage {
  type: string;
  timestamp: number;
  call: VapiCall;
  customer?: VapiCall["customer"];
  phoneNumber?: { id: string; assistantId?: string; [field: string]: unknown };
  artifact?: Record<string, unknown>;
  endedReason?: string;
  startedAt?: string;
  endedAt?: string;
  [field: string]: unknown;
}
