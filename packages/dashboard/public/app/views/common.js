/** Small pieces every section uses: its frame, notices, a modal dialog and a paged, filtered list. */
import { useCallback, useEffect, useId, useRef, useState } from "preact/hooks";
import { html } from "../html.js";
import { matches, upsertById } from "../lib/lists.js";

/** A landmark section with its heading; `id` is the nav's anchor. */
export function Section({ id, title, actions, children }) {
  return html`<section id=${id} class="panel" aria-labelledby=${`${id}-title`} tabindex="-1">
    <div class="panel-head">
      <h2 id=${`${id}-title`}>${title}</h2>
      ${actions}
    </div>
    ${children}
  </section>`;
}

/** A confirmation (`role=status`, announced politely) or an error (`role=alert`, announced at once). */
export function Notice({ notice }) {
  if (!notice) return html`<p class="notice-slot" role="status"></p>`;
  return notice.kind === "error"
    ? html`<p class="notice error" role="alert">${notice.text}</p>`
    : html`<p class="notice ok" role="status">${notice.text}</p>`;
}

/**
 * A modal `<dialog>`: the browser traps focus in it, closes it on Escape and gives focus back to
 * the button that opened it.
 */
export function Dialog({ open, title, onClose, children }) {
  const ref = useRef(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return html`<dialog ref=${ref} aria-labelledby=${titleId} onClose=${onClose}>
    ${open && html`<h3 id=${titleId}>${title}</h3>${children}`}
  </dialog>`;
}

/** A `<select>` with its visible label; `options` are values, or `[value, text]` pairs. */
export function Select({ label, value, options, onChange }) {
  const id = useId();
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select id=${id} value=${value} onChange=${(e) => onChange(e.currentTarget.value)}>
      ${options.map((option) => {
        const [optionValue, text] = Array.isArray(option) ? option : [option, option.replaceAll("_", " ")];
        return html`<option value=${optionValue}>${text}</option>`;
      })}
    </select>
  </div>`;
}

/**
 * One page of `path` at a time (`{ items, nextCursor }`), reloaded when `filters` or `reloadKey`
 * change; `upsert` keeps a live record in place, or drops it once it no longer passes the filters.
 */
export function usePagedList(api, path, filters, reloadKey) {
  const [items, setItems] = useState([]);
  const [nextCursor, setNextCursor] = useState(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState(null);
  const request = useRef(0);
  const filterKey = JSON.stringify(filters);

  const load = useCallback(
    async (cursor) => {
      const mine = ++request.current; // a newer request (filters changed) wins over an older answer
      setLoading(true);
      try {
        const page = await api.get(path, { ...filters, cursor });
        if (mine !== request.current) return;
        setItems((list) => (cursor ? [...list, ...page.items] : page.items));
        setNextCursor(page.nextCursor);
        setError(null);
      } catch (caught) {
        if (mine === request.current) setError(caught.message);
      } finally {
        if (mine === request.current) setLoading(false);
      }
    },
    [api, path, filterKey],
  );

  useEffect(() => {
    load(undefined);
  }, [load, reloadKey]);

  const upsert = useCallback(
    (record) =>
      setItems((list) =>
        matches(record, filters) ? upsertById(list, record) : list.filter((item) => item.id !== record.id),
      ),
    [filterKey],
  );

  return { items, nextCursor, loading, error, upsert, loadMore: () => load(nextCursor) };
}

/** The "load more" button of a paged list, and its loading and error states. */
export function Pager({ list, noun }) {
  return html`<div class="pager">
    ${list.error && html`<p class="notice error" role="alert">Could not load ${noun}: ${list.error}</p>`}
    ${list.loading && html`<p class="muted" aria-live="polite">Loading ${noun}…</p>`}
    ${!list.loading && !list.error && list.items.length === 0 && html`<p class="muted">No ${noun} to show.</p>`}
    ${
      list.nextCursor &&
      html`<button type="button" class="secondary" disabled=${list.loading} onClick=${list.loadMore}>
      Load more ${noun}
    </button>`
    }
  </div>`;
}

/** Subscribes `listener` to the live bus while the component is mounted (the latest listener is used). */
export function useLive(bus, listener) {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => bus.subscribe((event) => latest.current(event)), [bus]);
}
