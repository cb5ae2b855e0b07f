/** The contract every Sms adapter passes: the guarantees of `ports/sms.ts`, as tests. */
import { describe, expect } from "vitest";
import type { VoxanneError } from "../../domain/errors.ts";
import { isVoxanneError, OptedOut, ValidationFailed, VendorFailed } from "../../domain/errors.ts";
import type { Sms, SmsRequest } from "../../ports/sms.ts";
import type { Closable, ContractOptions, FixtureFactory } from "./contractKit.ts";
import { contractTests, fixturesOf, leakMarker, requireHook } from "./contractKit.ts";

/** The vendor outcomes a hook can provoke. */
export type SmsFailureKind = "opted_out" | "invalid_number" | "unavailable";

/** The code and `retryable` flag an unavailable SMS vendor must become. */
export const SMS_UNAVAILABLE = { code: "SMS_UNAVAILABLE", retryable: true } as const;

/**
 * What the vendor received for one message, read through a second path. `to` and `body` are
 * required; any other request field the vendor sees (from, our message id...) may be reported,
 * and then must equal the request's. Other properties (the vendor's own ids) are ignored.
 */
export type ReceivedSms = Pick<SmsRequest, "to" | "body"> & Partial<SmsRequest>;

const REQUEST_FIELDS = ["orgId", "messageId", "from", "to", "body"] as const satisfies readonly (keyof SmsRequest)[];

/** An adapter under test, with the hooks that let the suite see and steer its vendor. */
export interface SmsFixture extends Closable {
  adapter: Sms;
  /** The messages the vendor accepted, oldest first. */
  sent?(): Promise<ReceivedSms[]>;
  /**
   * Makes the vendor fail the adapter's next send like `kind`, with `vendorDetail` in the vendor's
   * own error text (the suite checks it never reaches the thrown message).
   */
  failNext?(kind: SmsFailureKind, vendorDetail: string): void | Promise<void>;
  /** Credentials the adapter holds (auth tokens): no error message may contain them. */
  credentials?: readonly string[];
}

export const SMS_CONTRACT_TESTS = [
  "returns a non-empty vendorMessageId and a queued or sent status",
  "gives each message a distinct vendorMessageId",
  "sends exactly one message per request, as requested",
  "sends the body verbatim, unicode included",
  "opted_out: throws OptedOut, nothing sent",
  "invalid_number: throws ValidationFailed naming `to`, nothing sent",
  "unavailable: throws VendorFailed SMS_UNAVAILABLE, retryable, nothing sent",
  "failure messages carry no vendor text and no credentials",
  "sends again after a failure",
] as const;
export type SmsContractTest = (typeof SMS_CONTRACT_TESTS)[number];

/** A message as the core would send it; `n` varies our message id and the recipient. */
export const sampleSmsRequest = (n: number, orgId = "org-contract"): SmsRequest => ({
  orgId,
  messageId: `message-contract-${n}`,
  from: "+15555550199",
  to: `+1555555${String(100 + n).padStart(4, "0")}`,
  body: `Hi, this is the clinic returning your call (${n}).`,
});

/**
 * Declares the Sms contract suite for one adapter. `makeFixture` runs once per test.
 *
 * @example
 * smsContract("twilio against a fake API", async () => {
 *   const api = await startFakeTwilio();
 *   return { adapter: twilioSms(api.config), sent: api.sent, failNext: api.failNext, close: api.close };
 * });
 */
export function smsContract(
  name: string,
  makeFixture: FixtureFactory<SmsFixture>,
  options: ContractOptions<SmsContractTest> = {},
): void {
  const suite = `Sms contract: ${name}`;
  describe(suite, () => {
    const test = contractTests(suite, SMS_CONTRACT_TESTS, options.skip);
    const setup = fixturesOf(makeFixture);

    /** The core error (never a vendor's own) a send ends in after the hook made the vendor fail like `kind`. */
    async function failedSend(fixture: SmsFixture, kind: SmsFailureKind, request: SmsRequest): Promise<VoxanneError> {
      await requireHook(suite, fixture, "failNext")(kind, leakMarker(kind));
      const error = await fixture.adapter.send(request).then(
        (result) => expect.fail(`expected a ${kind} failure, got ${JSON.stringify(result)}`),
        (e: unknown) => e,
      );
      expect(isVoxanneError(error), `a core error, not ${String(error)}`).toBe(true);
      return error as VoxanneError;
    }

    /** Checks the vendor received exactly `requests`, in order, on every field it reports. */
    async function expectSent(fixture: SmsFixture, requests: SmsRequest[]) {
      const received = await requireHook(suite, fixture, "sent")();
      expect(received).toHaveLength(requests.length);
      received.forEach((message, i) => {
        const reported = REQUEST_FIELDS.filter((field) => field in message);
        expect(reported).toEqual(expect.arrayContaining(["to", "body"]));
        for (const field of reported) expect(message[field], field).toEqual(requests[i]?.[field]);
      });
    }

    test("returns a non-empty vendorMessageId and a queued or sent status", async () => {
      const { adapter } = await setup();
      const result = await adapter.send(sampleSmsRequest(1));
      expect(typeof result.vendorMessageId).toBe("string");
      expect(result.vendorMessageId.trim()).not.toBe("");
      expect(["queued", "sent"]).toContain(result.status);
    });

    test("gives each message a distinct vendorMessageId", async () => {
      const { adapter } = await setup();
      const ids: string[] = [];
      for (const n of [1, 2, 3]) ids.push((await adapter.send(sampleSmsRequest(n))).vendorMessageId);
      expect(new Set(ids).size).toBe(3);
    });

    test("sends exactly one message per request, as requested", async () => {
      const fixture = await setup();
      const requests = [sampleSmsRequest(1), sampleSmsRequest(2)];
      for (const request of requests) await fixture.adapter.send(request);
      await expectSent(fixture, requests);
    });

    test("sends the body verbatim, unicode included", async () => {
      const fixture = await setup();
      const request = {
        ...sampleSmsRequest(1),
        body: "Merci Zoë! Your consult is at 10:30 ✨ 👩🏽‍⚕️\nReply STOP to opt out.",
      };
      await fixture.adapter.send(request);
      await expectSent(fixture, [request]);
    });

    test("opted_out: throws OptedOut, nothing sent", async () => {
      const fixture = await setup();
      expect(await failedSend(fixture, "opted_out", sampleSmsRequest(1))).toBeInstanceOf(OptedOut);
      await expectSent(fixture, []);
    });

    test("invalid_number: throws ValidationFailed naming `to`, nothing sent", async () => {
      const fixture = await setup();
      const error = await failedSend(fixture, "invalid_number", sampleSmsRequest(1));
      expect(error).toBeInstanceOf(ValidationFailed);
      expect((error as ValidationFailed).issues.map((issue) => issue.path)).toContain("to");
      await expectSent(fixture, []);
    });

    test("unavailable: throws VendorFailed SMS_UNAVAILABLE, retryable, nothing sent", async () => {
      const fixture = await setup();
      const error = await failedSend(fixture, "unavailable", sampleSmsRequest(1));
      expect(error).toBeInstanceOf(VendorFailed);
      const { code, retryable } = error as VendorFailed;
      expect({ code, retryable }).toEqual(SMS_UNAVAILABLE);
      await expectSent(fixture, []);
    });

    test("failure messages carry no vendor text and no credentials", async () => {
      const fixture = await setup();
      const secrets = fixture.credentials ?? [];
      let n = 0;
      for (const kind of ["opted_out", "invalid_number", "unavailable"] as const) {
        const error = await failedSend(fixture, kind, sampleSmsRequest(++n));
        expect(error.message.trim()).not.toBe("");
        for (const text of [error.message, error.code]) {
          expect(text).not.toContain(leakMarker(kind));
          for (const secret of secrets) expect(text).not.toContain(secret);
        }
      }
    });

    test("sends again after a failure", async () => {
      const fixture = await setup();
      await failedSend(fixture, "unavailable", sampleSmsRequest(1));
      const request = sampleSmsRequest(2);
      expect((await fixture.adapter.send(request)).vendorMessageId).not.toBe("");
      await expectSent(fixture, [request]);
    });
  });
}
