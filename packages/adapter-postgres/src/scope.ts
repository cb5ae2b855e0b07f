/**
 * One organization's transaction: everything the core does runs inside one. It sets `app.org_id`
 * (read by every row-level security policy), serializes the org's transactions with an advisory
 * lock (the port's "as if one after another"), notes whether the org exists, and drops to the
 * `voxanne_app` role, which cannot bypass row-level security.
 */
import type { Organization, Service, TransactionOptions } from "@voxanne/core";
import { NotFound, ValidationFailed } from "@voxanne/core";
import type { Db } from "./db.ts";
import { translateError } from "./errors.ts";

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** What a repository needs: the transaction and its organization. */
export interface OrgScope {
  readonly tx: Tx;
  readonly orgId: string;
  /**
   * Throws `NotFound` unless the organization exists (checked once, at the start; until that
   * answer is in, only `verified` can tell).
   */
  requireOrg(): void;
  /** Waits for the scope statement; `NotFound` for an unknown org. Await it before the transaction ends. */
  verified(): Promise<void>;
  /** Records that `organization.create` made the org in this transaction. */
  orgCreated(): void;
  /** Throws `ValidationFailed` when a record names another organization. */
  own(recordOrgId: string, path?: string): void;
  /**
   * What this transaction already read of the org's own row and price list, kept for its later
   * reads: a projector batch reads them once, not once per event. Safe because every write to
   * them runs in an org transaction, which waits for this one's advisory lock; the repositories
   * that write them here update or drop these.
   */
  readonly cache: { organization?: Organization; services?: Service[] };
}

/** Rows of a raw `execute`: postgres.js returns an array, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * One statement: the target list runs left to right: org id, lock, existence check, then the role
 * switch (`set local role`) last. The check is planned and permission-checked as the connecting
 * role at executor start, so the role switch does not hide the org from it (and the org's own
 * policy would let it see itself anyway).
 */
const ENTER = `select set_config('app.org_id', $1, true), pg_advisory_xact_lock(hashtext($1)),
  exists(select 1 from organizations where id = $1) as "exists", set_config('role', 'voxanne_app', true)`;

/**
 * The same for a transaction that only reads: no lock (it need not wait for the org's writers; it
 * sees what they have committed), and the transaction made READ ONLY, so a write in it fails.
 */
const ENTER_READ_ONLY = `select set_config('app.org_id', $1, true), set_config('transaction_read_only', 'on', true),
  exists(select 1 from organizations where id = $1) as "exists", set_config('role', 'voxanne_app', true)`;

/** The driver under a drizzle database or transaction: postgres.js (see `db.ts`) or PGlite. */
type DriverClient =
  | {
      unsafe(
        text: string,
        params: unknown[],
      ): PromiseLike<unknown> & { execute(): unknown; values(): PromiseLike<unknown> & { execute(): unknown } };
    }
  | { query(text: string, params: unknown[], options?: { rowMode: "array" }): Promise<unknown> };

/**
 * Runs `text` on the driver under a drizzle database or transaction, handed over now, before any
 * query the caller issues next: both drivers run a transaction's queries in the order they were
 * handed over (postgres.js on one connection, PGlite through its query queue), so the next query
 * need not wait for this one's answer. For statements built once (see `compiled.ts`). With
 * `arrays`, each row is an array of its columns in order (as drizzle reads rows).
 */
export function driverQuery<T>(
  tx: Tx | Db,
  text: string,
  params: unknown[],
  { arrays = false }: { arrays?: boolean } = {},
): Promise<T[]> {
  const client = (tx as unknown as { session: { client: DriverClient } }).session.client;
  if ("unsafe" in client) {
    const query = arrays ? client.unsafe(text, params).values() : client.unsafe(text, params);
    query.execute();
    return Promise.resolve(query).then((rows) => rowsOf<T>(rows));
  }
  return client.query(text, params, arrays ? { rowMode: "array" } : undefined).then((result) => rowsOf<T>(result));
}

/**
 * Sets `name` to `value` for the rest of the transaction, sent before the caller's next query and
 * not awaited: a failure aborts the transaction, and the next query's error says so.
 */
export function setLocal(tx: Tx, name: string, value: string): void {
  driverQuery(tx, "select set_config($1, $2, true)", [name, value]).catch(() => {});
}

/**
 * Opens the org's scope inside an already open transaction (the workers claim first, then scope).
 * The scope statement is sent, not awaited: the transaction's next query follows it at once (one
 * round trip for both on a server). Until its answer is in, `requireOrg` cannot tell, so
 * `verified` must be awaited before the transaction ends: it throws `NotFound` for an unknown org
 * (and the scope statement's own failure), whatever the queries in between made of it.
 */
export function enterOrg(tx: Tx, orgId: string, options: TransactionOptions = {}): OrgScope {
  let exists: boolean | undefined;
  let created = false;
  const statement = options.readOnly ? ENTER_READ_ONLY : ENTER;
  const entered = driverQuery<{ exists: boolean }>(tx, statement, [orgId]).then(([row]) => {
    exists = row?.exists === true;
  });
  entered.catch(() => {}); // awaited by `verified`
  const known = () => created || exists !== false;
  return {
    tx,
    orgId,
    requireOrg: () => {
      if (!known()) throw new NotFound("organization", orgId);
    },
    async verified() {
      await entered;
      if (!known()) throw new NotFound("organization", orgId);
    },
    orgCreated: () => {
      created = true;
    },
    own: (recordOrgId, path = "orgId") => {
      if (recordOrgId !== orgId) throw new ValidationFailed([{ path, message: "belongs to another organization" }]);
    },
    cache: {},
  };
}

/** Runs `fn` in a transaction scoped to `orgId`; database errors come out as core errors. */
export async function inOrgTransaction<T>(
  db: Db,
  orgId: string,
  fn: (scope: OrgScope) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      const scope = enterOrg(tx, orgId, options);
      try {
        const result = await fn(scope);
        await scope.verified();
        return result;
      } catch (error) {
        // An unknown org is the reason for what its queries made of it (nothing found, a foreign
        // key refused); bad input checked before any query stays the answer.
        if (!(error instanceof ValidationFailed)) await scope.verified();
        throw error;
      }
    });
  } catch (error) {
    throw translateError(error);
  }
}
