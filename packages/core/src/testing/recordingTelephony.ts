/** A Telephony that places no real calls: it records them, and fails on demand like a vendor. */
import { VendorFailed } from "../domain/errors.ts";
import type { OutboundCallRequest, Telephony } from "../ports/telephony.ts";
import type { TelephonyFailureKind } from "./contracts/telephonyContract.ts";
import type { FailureControls } from "./failureSwitch.ts";
import { failureSwitch } from "./failureSwitch.ts";

/** A call the simulated vendor accepted: the request, and the id it answered with. */
export type PlacedCall = OutboundCallRequest & { vendorCallId: string };

/** A request the simulated vendor refused, with what the adapter threw. */
export interface FailedCall {
  request: OutboundCallRequest;
  error: VendorFailed;
}

export interface RecordingTelephony extends Telephony, FailureControls<TelephonyFailureKind> {
  /** Every request asked, in order, placed or not. */
  readonly requests: readonly OutboundCallRequest[];
  /** The calls placed, in order. */
  readonly placed: readonly PlacedCall[];
  /** The requests that failed, in order. */
  readonly failures: readonly FailedCall[];
}

const MESSAGE = "The phone call could not be placed";

/** One VendorFailed per outcome, as a real adapter maps its vendor's: stable code, no vendor text. */
const errors = {
  rejected: (cause: Error) =>
    new VendorFailed("TELEPHONY_REJECTED", `${MESSAGE}: the provider refused it`, { retryable: false, cause }),
  unavailable: (cause: Error) =>
    new VendorFailed("TELEPHONY_UNAVAILABLE", `${MESSAGE}: the provider is unavailable, try again later`, {
      retryable: true,
      cause,
    }),
  // The vendor may have placed the call before the answer was lost: retrying could call twice.
  timeout: (cause: Error) =>
    new VendorFailed("TELEPHONY_TIMEOUT", `${MESSAGE}: the provider did not answer in time`, {
      retryable: false,
      cause,
    }),
};

/**
 * A simulated voice vendor: for tests, and for running without vendor credentials. Each call
 * gets the vendor id `sim-call-<n>` (n counts this instance's placed calls from 1).
 * Weaker than a vendor: it never rings anyone and sends no webhooks, and it keeps every request
 * in memory (copies, so later changes by the caller do not alter the record).
 *
 * @example
 * const telephony = recordingTelephony();
 * telephony.failNext("unavailable");
 * await requestCallback(…, { telephony }); // throws VendorFailed TELEPHONY_UNAVAILABLE (retryable)
 * telephony.failures[0]?.request.callId; // the call that failed
 */
export function recordingTelephony(): RecordingTelephony {
  const requests: OutboundCallRequest[] = [];
  const placed: PlacedCall[] = [];
  const failures: FailedCall[] = [];
  const { take, ...controls } = failureSwitch<TelephonyFailureKind, VendorFailed>(errors);

  return {
    requests,
    placed,
    failures,
    ...controls,
    async createOutboundCall(request) {
      const copy = structuredClone(request);
      requests.push(copy);
      const error = take();
      if (error) {
        failures.push({ request: copy, error });
        throw error;
      }
      const vendorCallId = `sim-call-${placed.length + 1}`;
      placed.push({ ...copy, vendorCallId });
      return { vendorCallId };
    },
  };
}
