/** An Sms that sends nothing: it records messages, and fails on demand like a vendor. */

import type { VoxanneError } from "../domain/errors.ts";
import { OptedOut, ValidationFailed, VendorFailed } from "../domain/errors.ts";
import type { Sms, SmsRequest } from "../ports/sms.ts";
import type { SmsFailureKind } from "./contracts/smsContract.ts";
import type { FailureControls } from "./failureSwitch.ts";
import { failureSwitch } from "./failureSwitch.ts";

/** A message the simulated vendor accepted: the request, and the id it answered with. */
export type SentSms = SmsRequest & { vendorMessageId: string };

/** A send the simulated vendor refused, with what the adapter threw. */
export interface FailedSms {
  request: SmsRequest;
  error: VoxanneError;
}

export interface RecordingSms extends Sms, FailureControls<SmsFailureKind> {
  /** Every send asked, in order, sent or not. */
  readonly attempts: readonly SmsRequest[];
  /** The messages sent, in order. */
  readonly sent: readonly SentSms[];
  /** The sends that failed, in order. */
  readonly failures: readonly FailedSms[];
}

/** The core error per outcome, as a real adapter maps its vendor's, with no vendor text. */
const errors = {
  opted_out: () => new OptedOut(),
  invalid_number: () =>
    new ValidationFailed([{ path: "to", message: "is not a number that can receive text messages" }]),
  unavailable: (cause: Error) =>
    new VendorFailed(
      "SMS_UNAVAILABLE",
      "The text message could not be sent: the provider is unavailable, try again later",
      {
        retryable: true,
        cause,
      },
    ),
};

/**
 * A simulated SMS vendor: for tests, and for running without vendor credentials. Each message
 * gets the vendor id `sim-sms-<n>` (n counts this instance's sent messages from 1) and status
 * `queued`. Weaker than a vendor: it delivers nothing, sends no status callbacks, and keeps every
 * request in memory (copies).
 *
 * @example
 * const sms = recordingSms();
 * sms.failNext("opted_out");
 * await sms.send(request); // throws OptedOut; sms.sent stays empty, sms.attempts has it
 */
export function recordingSms(): RecordingSms {
  const attempts: SmsRequest[] = [];
  const sent: SentSms[] = [];
  const failures: FailedSms[] = [];
  const { take, ...controls } = failureSwitch<SmsFailureKind, VoxanneError>(errors);

  return {
    attempts,
    sent,
    failures,
    ...controls,
    async send(request) {
      const copy = structuredClone(request);
      attempts.push(copy);
      const error = take();
      if (error) {
        failures.push({ request: copy, error });
        throw error;
      }
      const vendorMessageId = `sim-sms-${sent.length + 1}`;
      sent.push({ ...copy, vendorMessageId });
      return { vendorMessageId, status: "queued" };
    },
  };
}
