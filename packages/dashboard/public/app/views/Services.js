/**
 * The price list: prices price the calls that name a service's keywords, so a change here prices
 * the next call. Add, edit (name, price, keywords) and delete (after a confirmation).
 */
import { useId, useState } from "preact/hooks";
import { html } from "../html.js";
import { money, parseKeywords, parsePrice } from "../lib/format.js";
import { Dialog, Notice, Section } from "./common.js";

const priceText = (cents) => (cents / 100).toFixed(2);

/** The request body of the form's fields, or an error message naming the bad field. */
function draftOf({ name, price, keywords }) {
  const priceCents = parsePrice(price);
  if (!name.trim()) return { error: "The name is required." };
  if (priceCents === undefined) return { error: "The price must be an amount like 400 or 1250.50." };
  const list = parseKeywords(keywords);
  if (list.length === 0) return { error: "Give at least one keyword, separated by commas." };
  return { draft: { name: name.trim(), priceCents, keywords: list } };
}

/** The name, price and keywords fields, labelled for `legend` (the service's name or "New service"). */
function ServiceFields({ values, onChange, legend }) {
  const id = useId();
  const field = (key, label, extra = {}) => html`<div class=${`field field-${key}`}>
    <label for=${`${id}-${key}`}>${label}</label>
    <input
      id=${`${id}-${key}`}
      value=${values[key]}
      onInput=${(e) => onChange({ ...values, [key]: e.currentTarget.value })}
      aria-describedby=${extra.hint ? `${id}-${key}-hint` : undefined}
      inputmode=${extra.inputmode}
      autocomplete="off"
    />
    ${extra.hint && html`<span id=${`${id}-${key}-hint`} class="muted small">${extra.hint}</span>`}
  </div>`;
  return html`<fieldset class="service-fields">
    <legend class="sr-only">${legend}</legend>
    ${field("name", "Name")}
    ${field("price", "Price", { inputmode: "decimal", hint: "in dollars" })}
    ${field("keywords", "Keywords", { hint: "comma-separated" })}
  </fieldset>`;
}

export function Services({ api, services, setServices, error }) {
  const [notice, setNotice] = useState(null);
  const [adding, setAdding] = useState({ name: "", price: "", keywords: "" });
  const [deleting, setDeleting] = useState(null);

  const run = async (work, success) => {
    try {
      await work();
      setNotice({ kind: "ok", text: success });
      return true;
    } catch (caught) {
      setNotice({ kind: "error", text: caught.message });
      return false;
    }
  };

  const add = async (event) => {
    event.preventDefault();
    const { draft, error: invalid } = draftOf(adding);
    if (invalid) return setNotice({ kind: "error", text: invalid });
    const ok = await run(
      async () => {
        const created = await api.post("/api/services", draft);
        setServices((list) => [...list, created]);
      },
      `Added ${draft.name} at ${money(draft.priceCents)}.`,
    );
    if (ok) setAdding({ name: "", price: "", keywords: "" });
  };

  const save = (service, values) => {
    const { draft, error: invalid } = draftOf(values);
    if (invalid) return setNotice({ kind: "error", text: `${service.name}: ${invalid}` });
    return run(
      async () => {
        const updated = await api.patch(`/api/services/${encodeURIComponent(service.id)}`, draft);
        setServices((list) => list.map((s) => (s.id === updated.id ? updated : s)));
      },
      `Saved ${draft.name}: ${money(draft.priceCents)}.`,
    );
  };

  const remove = (service) =>
    run(async () => {
      await api.delete(`/api/services/${encodeURIComponent(service.id)}`);
      setServices((list) => list.filter((s) => s.id !== service.id));
      setDeleting(null);
    }, `Deleted ${service.name}.`);

  return html`<${Section} id="services" title="Services and prices">
    <${Notice} notice=${notice} />
    ${error && html`<p class="notice error" role="alert">Could not load the services: ${error}</p>`}
    <ul class="services">
      ${services.map(
        (service) =>
          html`<${ServiceRow} key=${service.id} service=${service} onSave=${save} onDelete=${setDeleting} />`,
      )}
    </ul>
    <form class="service-add" onSubmit=${add} aria-labelledby="service-add-title">
      <h3 id="service-add-title">Add a service</h3>
      <${ServiceFields} values=${adding} onChange=${setAdding} legend="New service" />
      <button type="submit">Add service</button>
    </form>
    <${Dialog} open=${Boolean(deleting)} title="Delete this service?" onClose=${() => setDeleting(null)}>
      ${
        deleting &&
        html`<p>Calls will no longer be priced as <strong>${deleting.name}</strong>.</p>
        <div class="dialog-actions">
          <button type="button" class="danger" onClick=${() => remove(deleting)}>Delete ${deleting.name}</button>
          <button type="button" class="secondary" onClick=${() => setDeleting(null)}>Cancel</button>
        </div>`
      }
    <//>
  <//>`;
}

function ServiceRow({ service, onSave, onDelete }) {
  const initial = { name: service.name, price: priceText(service.priceCents), keywords: service.keywords.join(", ") };
  const [values, setValues] = useState(initial);
  const changed = JSON.stringify(values) !== JSON.stringify(initial);
  const submit = (event) => {
    event.preventDefault();
    onSave(service, values);
  };
  return html`<li data-service=${service.id}>
    <form onSubmit=${submit} aria-label=${`Edit ${service.name}`}>
      <${ServiceFields} values=${values} onChange=${setValues} legend=${service.name} />
      <div class="row-actions">
        <span class="muted small current-price">${money(service.priceCents)}</span>
        <button type="submit" disabled=${!changed} aria-label=${`Save ${service.name}`}>Save</button>
        <button type="button" class="secondary danger-text" onClick=${() => onDelete(service)} aria-label=${`Delete ${service.name}`}>
          Delete
        </button>
      </div>
    </form>
  </li>`;
}
