/**
 * One organization's transaction: everything the core does runs inside one. It sets `app.org_id`
 * (read by every row-level security policy), serializes the org's transactions with an advisory
 * lock (the port's "as if one after another"), notes whether the org exists, and drops to the
 * `voxanne_app` role, which cannot bypass row-level security.
 */
import type { Organization, Service } from "@voxanne/core";
import { NotFound, ValidationFailed } from "@voxanne/core";
import { sql } from "drizzle-orm";
import type { Db } from "./db.ts";
import { translateError } from "./errors.ts";

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** What a repository needs: the transaction and its organization. */
export interface OrgScope {
  readonly tx: Tx;
  readonly orgId: string;
  /** Throws `NotFound` unless the organization exists (it is checked once, at the start). */
  requireOrg(): void;
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

/** Opens the org's scope inside an already open transaction (the workers claim first, then scope). */
export async function enterOrg(tx: Tx, orgId: string): Promise<OrgScope> {
  // One statement, one round trip. The target list runs left to right: org id, lock, existence
  // check, then the role switch (`set local role`) last. The check is planned and permission-checked
  // as the connecting role at executor start, so the role switch does not hide the org from it
  // (and the org's own policy would let it see itself anyway).
  const [row] = rowsOf<{ exists: boolean }>(
    await tx.execute(sql`select set_config('app.org_id', ${orgId}, true),
      pg_advisory_xact_lock(hashtext(${orgId})),
      exists(select 1 from organizations where id = ${orgId}) as "exists",
      set_config('role', 'voxanne_app', true)`),
  );
  let exists = row?.exists === true;
  return {
    tx,
    orgId,
    requireOrg: () => {
      if (!exists) throw new NotFound("organization", orgId);
    },
    orgCreated: () => {
      exists = true;
    },
    own: (recordOrgId, path = "orgId") => {
      if (recordOrgId !== orgId) throw new ValidationFailed([{ path, message: "belongs to another organization" }]);
    },
    cache: {},
  };
}

/** Runs `fn` in a transaction scoped to `orgId`; database errors come out as core errors. */
export async function inOrgTransaction<T>(db: Db, orgId: string, fn: (scope: OrgScope) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(async (tx) => fn(await enterOrg(tx, orgId)));
  } catch (error) {
    throw translateError(error);
  }
}
