/** The "make the vendor fail" switch shared by the recording fakes (telephony, SMS). */

/** How a recording fake can be told to fail like its vendor. */
export interface FailureControls<Kind extends string> {
  /**
   * The next `count` requests fail with `kind` (after any failures already queued).
   * `vendorDetail` stands for the vendor's own error text: it rides on the error's `cause`,
   * never in its message, as a real adapter must do.
   */
  failNext(kind: Kind, count?: number, vendorDetail?: string): void;
  /** Every request fails with `kind` until `recover()`. */
  failAlways(kind: Kind, vendorDetail?: string): void;
  /** Forgets every planned failure: requests succeed again. */
  recover(): void;
}

export interface FailureSwitch<Kind extends string, E extends Error = Error> extends FailureControls<Kind> {
  /** Called once per request: the error this request must fail with, or undefined to succeed. */
  take(): E | undefined;
}

/** Turns a failure kind (and the vendor's raw error, for `cause`) into the error an adapter throws. */
export type FailureErrors<Kind extends string, E extends Error = Error> = Record<Kind, (cause: Error) => E>;

interface Planned<Kind> {
  kind: Kind;
  vendorDetail: string | undefined;
}

/**
 * Makes a switch whose failures are built by `errors`, one entry per kind.
 *
 * @example
 * const failures = failureSwitch({ unavailable: (cause) => new VendorFailed("X_UNAVAILABLE", "…", { retryable: true, cause }) });
 * failures.failNext("unavailable");
 * failures.take(); // the VendorFailed; the next take() is undefined
 */
export function failureSwitch<Kind extends string, E extends Error>(
  errors: FailureErrors<Kind, E>,
): FailureSwitch<Kind, E> {
  const queue: Planned<Kind>[] = [];
  let always: Planned<Kind> | undefined;

  const known = (kind: Kind) => {
    if (!Object.hasOwn(errors, kind)) throw new RangeError(`Unknown failure kind ${JSON.stringify(kind)}`);
  };
  const build = ({ kind, vendorDetail }: Planned<Kind>) =>
    errors[kind](new Error(vendorDetail ?? `simulated vendor failure: ${kind}`));

  return {
    failNext(kind, count = 1, vendorDetail) {
      known(kind);
      if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
      for (let i = 0; i < count; i++) queue.push({ kind, vendorDetail });
    },
    failAlways(kind, vendorDetail) {
      known(kind);
      always = { kind, vendorDetail };
    },
    recover() {
      queue.length = 0;
      always = undefined;
    },
    take() {
      const planned = queue.shift() ?? always;
      return planned && build(planned);
    },
  };
}
