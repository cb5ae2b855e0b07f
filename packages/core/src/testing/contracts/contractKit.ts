/**
 * The shared machinery of the port contract suites: skips as data, fixtures made per test and
 * closed after it, and a clear failure when a test needs a hook the adapter did not offer.
 */
import { afterEach, it } from "vitest";

/**
 * Contract tests an adapter cannot run, and why, e.g.
 * `{ reason: "the live Twilio API cannot be made to fail on demand", tests: ["maps opted_out to OptedOut"] }`.
 * A skip without a reason, or naming a test the suite does not have, throws when the suite is declared.
 */
export interface Skip<Name extends string = string> {
  reason: string;
  tests: readonly Name[];
}

/** What every contract suite accepts besides its factory. */
export interface ContractOptions<Name extends string = string> {
  skip?: readonly Skip<Name>[] | undefined;
}

/** Anything a fixture may hold that must be released after each test (a fake server, a connection). */
export interface Closable {
  close?(): void | Promise<void>;
}

/** Makes a fresh fixture for one test. */
export type FixtureFactory<F> = () => F | Promise<F>;

/** A test body of a contract suite. */
export type ContractTestBody = () => void | Promise<void>;

/**
 * Checks a suite's skips and returns its `test` function: `test(name, body)` runs the named test,
 * or registers it as skipped with its reason in the title. Names are typed, so a skip of a test
 * that does not exist fails to compile, and also throws here for untyped callers.
 */
export function contractTests<Name extends string>(
  suite: string,
  names: readonly Name[],
  skips: readonly Skip<Name>[] = [],
): (name: Name, body: ContractTestBody) => void {
  const reasons = new Map<string, string>();
  for (const skip of skips) {
    const reason = typeof skip.reason === "string" ? skip.reason.trim() : "";
    if (!reason) throw new Error(`${suite}: a skip needs a reason (tests: ${JSON.stringify(skip.tests)})`);
    for (const test of skip.tests) {
      if (!names.includes(test)) throw new Error(`${suite}: cannot skip unknown test ${JSON.stringify(test)}`);
      reasons.set(test, reason);
    }
  }
  return (name, body) => {
    const reason = reasons.get(name);
    if (reason === undefined) it(name, body);
    else it.skip(`${name} (skipped: ${reason})`, body);
  };
}

/**
 * Returns `setup()`, which makes a fixture with `factory` inside a test; every fixture made is
 * closed after its test, even when the test fails. Call it inside a `describe`.
 */
export function fixturesOf<F extends Closable>(factory: FixtureFactory<F>): () => Promise<F> {
  const open: F[] = [];
  afterEach(async () => {
    const closing = open.splice(0);
    await Promise.all(closing.map((fixture) => fixture.close?.()));
  });
  return async () => {
    const fixture = await factory();
    open.push(fixture);
    return fixture;
  };
}

/**
 * The fixture's hook `key` (bound to the fixture), or a failure saying how to fix the suite's
 * call: offer the hook, or skip the test with a reason. A missing hook never passes silently.
 */
export function requireHook<F extends object, K extends keyof F & string>(
  suite: string,
  fixture: F,
  key: K,
): NonNullable<F[K]> {
  const hook = fixture[key];
  if (hook === undefined || hook === null) {
    throw new Error(
      `${suite}: this test needs the fixture's \`${key}\` hook; provide it, or list the test in \`skip\` with a reason`,
    );
  }
  return (typeof hook === "function" ? hook.bind(fixture) : hook) as NonNullable<F[K]>;
}

/** A string standing for vendor text or a credential that must never reach an error message. */
export const leakMarker = (what: string): string => `VENDOR-LEAK-MARKER-${what}-7f3a9c`;
