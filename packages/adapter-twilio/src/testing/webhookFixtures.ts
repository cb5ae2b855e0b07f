/**
 * The shared Twilio webhook fixtures (`vendors/fixtures/twilio/`) as handler requests, and
 * requests signed on the spot with the twilio library's own helper, for the webhook tests.
 */
import { readdir, readFile } from "node:fs/promises";
import twilio from "twilio";
import type { TwilioWebhookRequest } from "../webhooks.ts";

/** Where the fixtures live, from this folder; CI clones the repo with `shared/` beside it. */
export const TWILIO_FIXTURES_DIR = new URL("../../../../../shared/vendors/fixtures/twilio/", import.meta.url);

/** The fake auth token every fixture's `X-Twilio-Signature` was computed with. */
export const FIXTURE_AUTH_TOKEN = "test_auth_token_0123456789abcdef";
/** The clinic's Twilio number in the fixtures. */
export const FIXTURE_CLINIC_NUMBER = "+15555550100";

/** A signed webhook fixture (`*.json` beside its raw `*.form` body). */
export interface TwilioWebhookFixture {
  method: string;
  url: string;
  headers: Record<string, string>;
  rawBody: string;
  params: Record<string, string>;
}

/** The webhook fixtures (those with a signature), by file name, in folder order. */
export async function webhookFixtureNames(): Promise<string[]> {
  const names = (await readdir(TWILIO_FIXTURES_DIR)).filter((n) => n.endsWith(".json")).sort();
  const signed = await Promise.all(
    names.map(async (n) => ((await readTwilioFixture(n)).headers?.["x-twilio-signature"] ? n : null)),
  );
  return signed.filter((n) => n !== null);
}

export async function readTwilioFixture(name: string): Promise<TwilioWebhookFixture> {
  return JSON.parse(await readFile(new URL(name, TWILIO_FIXTURES_DIR), "utf8")) as TwilioWebhookFixture;
}

/** The raw body twin of a fixture (`x.json` → `x.form`), byte for byte. */
export const readFixtureForm = (name: string) =>
  readFile(new URL(name.replace(/\.json$/, ".form"), TWILIO_FIXTURES_DIR), "utf8");

const bytes = (text: string) => new TextEncoder().encode(text);

/** A fixture as the handler receives it: its headers, raw body and URL (or the one given). */
export const fixtureRequest = (fixture: TwilioWebhookFixture, url = fixture.url): TwilioWebhookRequest => ({
  headers: new Headers(fixture.headers),
  rawBody: bytes(fixture.rawBody),
  url,
});

export interface SignOptions {
  /** The URL Twilio signs, when the request reaches the server under another (a proxy). Default: `url`. */
  signedUrl?: string;
  authToken?: string;
  /** Extra headers, applied last. */
  headers?: Record<string, string>;
}

/** `params` POSTed to `url` as Twilio does: form-encoded, signed by `twilio.getExpectedTwilioSignature`. */
export function signedRequest(url: string, params: Record<string, string>, options: SignOptions = {}) {
  const signature = twilio.getExpectedTwilioSignature(
    options.authToken ?? FIXTURE_AUTH_TOKEN,
    options.signedUrl ?? url,
    params,
  );
  return {
    headers: new Headers({
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": signature,
      ...options.headers,
    }),
    rawBody: bytes(new URLSearchParams(params).toString()),
    url,
  } satisfies TwilioWebhookRequest;
}
