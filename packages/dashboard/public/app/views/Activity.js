/** The last ten things that happened, newest first; new ones arrive live. */
import { useEffect, useState } from "preact/hooks";
import { html } from "../html.js";
import { dateTime, words } from "../lib/format.js";
import { upsertById } from "../lib/lists.js";
import { Section, useLive } from "./common.js";

const SHOWN = 10;

export function Activity({ api, bus, reloadKey }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    api.get("/api/analytics/recent-activity").then(
      (answer) => {
        setItems(answer.items);
        setError(null);
      },
      (caught) => setError(caught.message),
    );
  }, [api, reloadKey]);

  useLive(bus, (event) => {
    if (event.type === "activity.created") setItems((list) => upsertById(list ?? [], event.activity).slice(0, SHOWN));
  });

  return html`<${Section} id="activity" title="Recent activity">
    ${error && html`<p class="notice error" role="alert">Could not load the activity: ${error}</p>`}
    ${items === null && !error && html`<p class="muted">Loading…</p>`}
    ${items?.length === 0 && html`<p class="muted">Nothing has happened yet.</p>`}
    ${
      items?.length > 0 &&
      html`<ol class="feed">
      ${items.map(
        (item) => html`<li key=${item.id} data-activity=${item.type}>
          <time datetime=${item.occurredAt}>${dateTime(item.occurredAt)}</time>
          <span class=${`tag tag-${item.type}`}>${words(item.type)}</span>
          <span>${item.summary}</span>
        </li>`,
      )}
    </ol>`
    }
  <//>`;
}
