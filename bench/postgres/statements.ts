/**
 * A statement census on the server: the adapter's own code over a postgres.js client whose
 * `debug` hook counts every statement it sends (BEGIN and COMMIT included). Kept out of the timed
 * runs, since the hook makes postgres.js capture a stack trace per query.
 */

import { type Database, drizzleOverPostgres } from "@voxanne/adapter-postgres";
import postgres from "postgres";

export interface Census {
  /** Statements sent. */
  statements: number;
  /** Of which with bind parameters: postgres.js describes each first unless already prepared on that connection. */
  withParameters: number;
  /** Count per statement shape (its first words, whitespace folded). */
  shapes: Map<string, number>;
}

const SHAPE_LENGTH = 90;

const shapeOf = (text: string) => {
  const folded = text.replace(/\s+/g, " ").trim();
  return folded.length > SHAPE_LENGTH ? `${folded.slice(0, SHAPE_LENGTH - 1)}…` : folded;
};

/** The adapter's Database on `url`, counting into `census` (call `reset` to start over). */
export function countingDatabase(url: string): { database: Database; census: Census; reset(): void } {
  const census: Census = { statements: 0, withParameters: 0, shapes: new Map() };
  const client = postgres(url, {
    max: 10,
    onnotice: () => {},
    debug: (_connection, text, parameters) => {
      census.statements++;
      if (parameters.length > 0) census.withParameters++;
      const shape = shapeOf(text);
      census.shapes.set(shape, (census.shapes.get(shape) ?? 0) + 1);
    },
  });
  return {
    database: {
      db: drizzleOverPostgres(client),
      driver: "postgres",
      close: () => client.end({ timeout: 5 }),
    },
    census,
    reset() {
      census.statements = 0;
      census.withParameters = 0;
      census.shapes.clear();
    },
  };
}

/** Prints the census per unit of work (`per` units, e.g. calls or events), top shapes first. */
export function printCensus(census: Census, per: number, unit: string, top = 20): void {
  const each = (n: number) => Number((n / per).toFixed(2));
  console.log(
    `statements per ${unit}: ${each(census.statements)} (${each(census.withParameters)} with parameters; ` +
      "prepared: after a statement's first run on a connection it costs one round trip)",
  );
  const rows = [...census.shapes.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  console.table(rows.map(([shape, n]) => ({ [`per ${unit}`]: each(n), statement: shape })));
}
