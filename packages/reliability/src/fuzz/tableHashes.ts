/**
 * A fingerprint of every table's rows (the event log and outbox included), whole and for one
 * organization, read as the superuser past row-level security: two equal fingerprints mean nothing
 * was written in between, not even an update that leaves the row count alone.
 */
import type { Database } from "@voxanne/adapter-postgres";

/** Per table: the hash of all rows, and of each given organization's rows (in the order given). */
export type TableHashes = Record<string, { all: string; orgs: string[] }>;

export interface Table {
  name: string;
  /** The column naming the organization, or null for a table without one. */
  orgColumn: string | null;
}

export async function tablesOf(database: Database): Promise<Table[]> {
  const rows = (await database.db.execute(
    `select t.table_name as name,
       case when t.table_name = 'organizations' then 'id'
            when exists (select 1 from information_schema.columns c where c.table_schema = 'public'
                         and c.table_name = t.table_name and c.column_name = 'org_id') then 'org_id' end as "orgColumn"
     from information_schema.tables t
     where t.table_schema = 'public' and t.table_type = 'BASE TABLE' order by t.table_name`,
  )) as unknown as Table[];
  return rows;
}

/** Hashes of each table, whole and per org of `orgIds` (by `org_id`, or `id` for the organizations). */
export async function tableHashes(database: Database, tables: Table[], orgIds: string[]): Promise<TableHashes> {
  const rowsHash = (filter: string) => `md5(coalesce(string_agg(t::text, '|' order by t::text)${filter}, ''))`;
  const parts = tables.map(({ name, orgColumn }) => {
    const orgs = orgIds.map((id) =>
      orgColumn ? rowsHash(` filter (where t."${orgColumn}"::text = '${id.replaceAll("'", "''")}')`) : "''",
    );
    return `select '${name}' as name, ${rowsHash("")} as "all", array[${orgs.join(", ")}]::text[] as orgs from "${name}" t`;
  });
  const rows = (await database.db.execute(parts.join(" union all "))) as unknown as {
    name: string;
    all: string;
    orgs: string[];
  }[];
  return Object.fromEntries(rows.map((r) => [r.name, { all: r.all, orgs: r.orgs }]));
}
