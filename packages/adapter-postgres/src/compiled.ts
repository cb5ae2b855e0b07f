/**
 * Statements built once. Drizzle builds a query's text anew on every call, and for the projector's
 * hot path (a dozen short statements per event) that building cost more Node CPU than everything
 * else the adapter did. A compiled statement is written with drizzle, as any other, with named
 * values in place of the call's own; its text and its result columns are worked out once, and each
 * run hands the text and the values straight to the driver, inside the caller's transaction.
 * Values are encoded and rows decoded by the columns' own mappers, exactly as drizzle would.
 */
import { and, Column, eq, getTableColumns, is, Param, Placeholder, SQL, sql, type Table } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/postgres-js";
import type { Db } from "./db.ts";
import { jsonText } from "./rows.ts";
import * as schema from "./schema.ts";
import { driverQuery, type Tx } from "./scope.ts";

/** A drizzle database that only builds text: it has no connection. */
const builder = drizzle.mock({ schema }) as unknown as Db;

/** A query of drizzle's builders: awaiting it gives rows; `prepare` hands out its text and columns. */
interface Buildable<R> extends PromiseLike<R[]> {
  prepare(name: string): unknown;
}

/** What drizzle's prepared query (postgres.js flavour) holds of the text and the result columns. */
interface PreparedParts {
  queryString: string;
  params: unknown[];
  fields?: { path: string[]; field: unknown }[];
}

type Encode = (values: Record<string, unknown>) => unknown;

/** A parameter: a constant drizzle already encoded, or a named value encoded by its column. */
function encoderOf(param: unknown): Encode {
  const named = is(param, Param) && is(param.value, Placeholder) ? param : undefined;
  const placeholder = named ? (named.value as Placeholder) : is(param, Placeholder) ? param : undefined;
  if (!placeholder) return () => param;
  const { name } = placeholder;
  const column = named && is(named.encoder, Column) ? (named.encoder as PgColumn) : undefined;
  const jsonb = column?.columnType === "PgJsonb";
  return (values) => {
    if (!(name in values)) throw new Error(`compiled statement: no value for "${name}"`);
    const value = values[name];
    // As the repositories store them: a required jsonb column keeps JSON null, a nullable one SQL NULL.
    if (value === null || value === undefined) return jsonb && column?.notNull ? "null" : null;
    if (jsonb) return jsonText(value, name);
    if (column) return column.mapToDriverValue(value);
    return value instanceof Date ? value.toISOString() : value;
  };
}

/**
 * A named value for every column of `table` but `except`, encoded like its column: the values of
 * an insert, or the `set` of an update that writes them all.
 */
export function everyColumn<T extends Table>(
  table: T,
  value: (name: string) => Placeholder,
  except: readonly (keyof T["_"]["columns"])[] = [],
): Record<keyof T["_"]["columns"], SQL> {
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => !except.includes(key));
  return Object.fromEntries(columns.map(([key, column]) => [key, sql`${sql.param(value(key), column)}`])) as Record<
    keyof T["_"]["columns"],
    SQL
  >;
}

/** The org's row of `table` whose `column` equals the run's `key` value (values `orgId`, `key`). */
export function oneOfOrg<T extends PgTable & { orgId: PgColumn }>(
  table: T,
  column: PgColumn,
): Compiled<T["$inferSelect"]> {
  return compile((db, value) =>
    db
      .select()
      .from(table as PgTable)
      .where(and(eq(table.orgId, value("orgId")), eq(column, value("key"))))
      .limit(1),
  ) as Compiled<T["$inferSelect"]>;
}

type Decode = (value: unknown) => unknown;

/** How a result column reads back: a table column's mapper, or an expression's `mapWith`. */
function decoderOf(field: unknown): Decode {
  // An expression's decoder is internal to drizzle's typings, not to its code.
  const decoder = (expression: SQL) => (expression as unknown as { decoder: Column }).decoder;
  const mapper = is(field, Column)
    ? field
    : is(field, SQL)
      ? decoder(field)
      : is(field, SQL.Aliased)
        ? decoder(field.sql)
        : undefined;
  if (!mapper) throw new Error("compiled statement: unsupported result column");
  return (value) => (value === null ? null : mapper.mapFromDriverValue(value));
}

export interface Compiled<R> {
  /** Runs in `tx` with these values; sent at once, so the caller's next statement follows it. */
  run(tx: Tx | Db, values: object): Promise<R[]>;
}

/**
 * `build` writes the statement with `value(name)` wherever a run's own value goes: a value given
 * for a column (`values`, `set`) is encoded like that column (dates, JSON, arrays), one compared in
 * a condition goes as is (a date as ISO text). Rows come back as drizzle returns them.
 *
 * @example
 * const byPhone = compile((db, value) =>
 *   db.select().from(contacts).where(and(eq(contacts.orgId, value("orgId")), eq(contacts.phone, value("phone")))));
 * const [row] = await byPhone.run(tx, { orgId, phone });
 */
export function compile<R>(build: (db: Db, value: (name: string) => Placeholder) => Buildable<R>): Compiled<R> {
  const parts = build(builder, (name) => sql.placeholder(name)).prepare("compiled") as PreparedParts;
  const encoders = parts.params.map(encoderOf);
  const columns = (parts.fields ?? []).map(({ path, field }) => {
    if (path.length !== 1) throw new Error("compiled statement: nested result columns are not supported");
    return { key: path[0] as string, decode: decoderOf(field) };
  });
  const text = parts.queryString;
  return {
    async run(tx, values) {
      const params = encoders.map((encode) => encode(values as Record<string, unknown>));
      const rows = await driverQuery<unknown[]>(tx, text, params, { arrays: true });
      return rows.map((row) => {
        const record: Record<string, unknown> = {};
        for (const [i, { key, decode }] of columns.entries()) record[key] = decode(row[i]);
        return record as R;
      });
    },
  };
}
