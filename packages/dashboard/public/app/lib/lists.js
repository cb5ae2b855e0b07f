/** Keeping the page's lists in step with live events. */

/** Upserts `item` by id: replaced where it is, else added at the front (newest first). */
export function upsertById(list, item) {
  const index = list.findIndex((existing) => existing.id === item.id);
  if (index === -1) return [item, ...list];
  const copy = list.slice();
  copy[index] = item;
  return copy;
}

/** Whether a record passes the list's filters (`{ field: wanted }`, an empty wanted value passes all). */
export const matches = (record, filters) =>
  Object.entries(filters).every(([field, wanted]) => !wanted || record[field] === wanted);
