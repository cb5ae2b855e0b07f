/** A page of a newest-first list; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  /** 1–100; default 25. */
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

/** Keyset position: (createdAt, id), both descending. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** Opaque to clients; the same encoding for every Storage adapter (ids are ASCII). */
export const encodeCursor = (c: Cursor): string =>
  btoa(`${c.createdAt.toISOString()}|${c.id}`).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");

/** Returns undefined for a cursor that was not made by `encodeCursor`. */
export function decodeCursor(cursor: string): Cursor | undefined {
  let raw: string;
  try {
    raw = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return undefined;
  }
  const bar = raw.indexOf("|");
  if (bar < 0) return undefined;
  const createdAt = new Date(raw.slice(0, bar));
  const id = raw.slice(bar + 1);
  return Number.isNaN(createdAt.getTime()) || !id ? undefined : { createdAt, id };
}

/** Newer first: true when `a` comes before `b` in a newest-first list. */
export const isBefore = (a: Cursor, b: Cursor): boolean =>
  a.createdAt.getTime() !== b.createdAt.getTime() ? a.createdAt > b.createdAt : a.id > b.id;
