/**
 * Leads: filtered by status and temperature, kept live, with Call back and SMS. Each action asks
 * for confirmation in a dialog; an error stays in the dialog, a success is announced in the section.
 */
import { useId, useState } from "preact/hooks";
import { html } from "../html.js";
import { dateTime, words } from "../lib/format.js";
import { Dialog, Notice, Pager, Section, Select, useLive, usePagedList } from "./common.js";

const STATUSES = ["new", "contacted", "qualified", "booked", "converted", "lost"];
const TEMPERATURES = ["hot", "warm", "cold"];

const nameOf = (contact) => contact.name || contact.phone;

export function Leads({ api, bus, reloadKey }) {
  const [leadStatus, setLeadStatus] = useState("");
  const [leadTemperature, setLeadTemperature] = useState("");
  const list = usePagedList(api, "/api/contacts", { leadStatus, leadTemperature }, reloadKey);
  const [action, setAction] = useState(null); // { kind: "callBack" | "sms", contact }
  const [notice, setNotice] = useState(null);
  const [sent, setSent] = useState({}); // message id → who it went to, to follow its status live

  useLive(bus, (event) => {
    if (event.type === "contact.updated") list.upsert(event.contact);
    if (event.type === "message.updated" && sent[event.message.id]) {
      setNotice({ kind: "ok", text: `SMS to ${sent[event.message.id]}: ${words(event.message.status)}.` });
    }
  });

  const done = (text) => {
    setAction(null);
    setNotice({ kind: "ok", text });
  };

  const filters = html`<div class="filters">
    <${Select}
      label="Status"
      value=${leadStatus}
      options=${[["", "Any status"], ...STATUSES]}
      onChange=${setLeadStatus}
    />
    <${Select}
      label="Temperature"
      value=${leadTemperature}
      options=${[["", "Any temperature"], ...TEMPERATURES]}
      onChange=${setLeadTemperature}
    />
  </div>`;

  return html`<${Section} id="leads" title="Leads" actions=${filters}>
    <${Notice} notice=${notice} />
    <table class="responsive">
      <thead>
        <tr>
          <th scope="col">Lead</th>
          <th scope="col">Status</th>
          <th scope="col">Temperature</th>
          <th scope="col">Last contacted</th>
          <th scope="col"><span class="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        ${list.items.map(
          (contact) => html`<tr key=${contact.id} data-contact=${contact.id}>
            <th scope="row" data-label="Lead">
              <span class="lead-name">${contact.name || "Unknown caller"}</span>
              <span class="muted small">${contact.phone}</span>
            </th>
            <td data-label="Status"><span class=${`tag status-${contact.leadStatus}`}>${words(contact.leadStatus)}</span></td>
            <td data-label="Temperature">
              <span class=${`tag temp-${contact.leadTemperature}`}>${contact.leadTemperature}</span>
              <span class="muted small"> score ${contact.leadScore}</span>
            </td>
            <td data-label="Last contacted">${dateTime(contact.lastContactedAt)}</td>
            <td class="actions">
              <button type="button" onClick=${() => setAction({ kind: "callBack", contact })}
                aria-label=${`Call back ${nameOf(contact)}`}>Call back</button>
              <button type="button" class="secondary" onClick=${() => setAction({ kind: "sms", contact })}
                aria-label=${`Send an SMS to ${nameOf(contact)}`}>SMS</button>
            </td>
          </tr>`,
        )}
      </tbody>
    </table>
    <${Pager} list=${list} noun="leads" />
    <${CallBackDialog}
      api=${api}
      contact=${action?.kind === "callBack" ? action.contact : null}
      onClose=${() => setAction(null)}
      onPlaced=${(call, contact) => done(`Calling ${nameOf(contact)}: the call is placed (${words(call.status)}).`)}
    />
    <${SmsDialog}
      api=${api}
      contact=${action?.kind === "sms" ? action.contact : null}
      onClose=${() => setAction(null)}
      onSent=${(message, contact) => {
        setSent((known) => ({ ...known, [message.id]: nameOf(contact) }));
        done(`SMS to ${nameOf(contact)}: ${words(message.status)}.`);
      }}
    />
  <//>`;
}

/** Runs `work` once at a time, keeping its error for the dialog to show. */
function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async (work) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(caught.message);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, reset: () => setError(null) };
}

function CallBackDialog({ api, contact, onClose, onPlaced }) {
  const submit = useSubmit();
  const close = () => {
    submit.reset();
    onClose();
  };
  return html`<${Dialog} open=${Boolean(contact)} title="Call back?" onClose=${close}>
    ${
      contact &&
      html`<p>Voxanne's assistant will call <strong>${nameOf(contact)}</strong> at ${contact.phone} now.</p>
      ${submit.error && html`<p class="notice error" role="alert">Could not place the call: ${submit.error}</p>`}
      <div class="dialog-actions">
        <button type="button" disabled=${submit.busy}
          onClick=${() =>
            submit.run(async () => {
              const { call } = await api.post(`/api/contacts/${encodeURIComponent(contact.id)}/call-back`);
              onPlaced(call, contact);
            })}>
          ${submit.busy ? "Calling…" : "Call now"}
        </button>
        <button type="button" class="secondary" onClick=${close}>Cancel</button>
      </div>`
    }
  <//>`;
}

function SmsDialog({ api, contact, onClose, onSent }) {
  const submit = useSubmit();
  const [body, setBody] = useState("");
  const id = useId();
  const close = () => {
    submit.reset();
    setBody("");
    onClose();
  };
  const send = (event) => {
    event.preventDefault();
    submit.run(async () => {
      const { message } = await api.post(`/api/contacts/${encodeURIComponent(contact.id)}/sms`, { body });
      setBody("");
      onSent(message, contact);
    });
  };
  return html`<${Dialog} open=${Boolean(contact)} title="Send an SMS" onClose=${close}>
    ${
      contact &&
      html`<form onSubmit=${send}>
      <p>To <strong>${nameOf(contact)}</strong> at ${contact.phone}.</p>
      <div class="field">
        <label for=${id}>Message</label>
        <textarea id=${id} rows="4" maxlength="1600" required value=${body}
          onInput=${(e) => setBody(e.currentTarget.value)}></textarea>
      </div>
      ${submit.error && html`<p class="notice error" role="alert">Could not send the SMS: ${submit.error}</p>`}
      <div class="dialog-actions">
        <button type="submit" disabled=${submit.busy || body.trim() === ""}>${submit.busy ? "Sending…" : "Send SMS"}</button>
        <button type="button" class="secondary" onClick=${close}>Cancel</button>
      </div>
    </form>`
    }
  <//>`;
}
