/**
 * The call log: newest first, filtered, kept live. Each call shows its sentiment, booking, value
 * (and the service that priced it), score and recording; a completed recording plays in the page.
 */
import { useState } from "preact/hooks";
import { html } from "../html.js";
import { dateTime, duration, money, words } from "../lib/format.js";
import { Pager, Section, Select, useLive, usePagedList } from "./common.js";

const DIRECTIONS = ["inbound", "outbound"];
const STATUSES = [
  "pending",
  "initiated",
  "ringing",
  "in_progress",
  "completed",
  "failed",
  "no_answer",
  "busy",
  "canceled",
];
const RECORDING_STATUSES = ["pending", "processing", "completed", "failed"];
const CALL_EVENTS = new Set(["call.started", "call.updated", "call.ended", "callback.placed"]);

/** The other party: the caller of an inbound call, the callee of an outbound one. */
const partyOf = (call) => (call.direction === "inbound" ? call.fromNumber : call.toNumber) ?? "unknown number";

export function Calls({ api, bus, reloadKey, services }) {
  const [direction, setDirection] = useState("");
  const [status, setStatus] = useState("");
  const [recordingStatus, setRecordingStatus] = useState("");
  const list = usePagedList(api, "/api/calls-dashboard", { direction, status, recordingStatus }, reloadKey);
  const serviceName = (id) => services.find((s) => s.id === id)?.name;

  useLive(bus, (event) => {
    if (CALL_EVENTS.has(event.type)) list.upsert(event.call);
  });

  const filters = html`<div class="filters">
    <${Select} label="Direction" value=${direction} options=${[["", "Any direction"], ...DIRECTIONS]} onChange=${setDirection} />
    <${Select} label="Call status" value=${status} options=${[["", "Any status"], ...STATUSES]} onChange=${setStatus} />
    <${Select}
      label="Recording"
      value=${recordingStatus}
      options=${[["", "Any recording"], ...RECORDING_STATUSES]}
      onChange=${setRecordingStatus}
    />
  </div>`;

  return html`<${Section} id="calls" title="Call log" actions=${filters}>
    <table class="responsive">
      <thead>
        <tr>
          <th scope="col">Call</th>
          <th scope="col">Status</th>
          <th scope="col">Sentiment</th>
          <th scope="col">Booking</th>
          <th scope="col">Value</th>
          <th scope="col">Score</th>
          <th scope="col">Recording</th>
        </tr>
      </thead>
      <tbody>
        ${list.items.map(
          (call) => html`<tr key=${call.id} data-call=${call.id} data-vendor-call=${call.vendorCallId ?? ""}>
            <th scope="row" data-label="Call">
              <span>${call.direction === "inbound" ? "From" : "To"} ${partyOf(call)}</span>
              <span class="muted small">${dateTime(call.startedAt ?? call.createdAt)} · ${words(call.direction)}</span>
              ${call.summary && html`<span class="summary small">${call.summary}</span>`}
            </th>
            <td data-label="Status">${words(call.status)}<span class="muted small"> ${duration(call.durationSeconds)}</span></td>
            <td data-label="Sentiment">
              ${
                call.sentiment
                  ? html`<span class=${`tag sentiment-${call.sentiment.label}`}>${call.sentiment.label}</span>
                    <span class="muted small"> ${call.sentiment.score.toFixed(2)}</span>`
                  : "—"
              }
            </td>
            <td data-label="Booking">${call.bookingConfirmed ? html`<span class="tag booked">Booked</span>` : "Not booked"}</td>
            <td data-label="Value" class="value">
              ${money(call.financialValueCents)}
              ${call.pricedServiceId && html`<span class="muted small"> ${serviceName(call.pricedServiceId) ?? "service"}</span>`}
            </td>
            <td data-label="Score">${call.leadScore ?? "—"}</td>
            <td data-label="Recording"><${Recording} api=${api} call=${call} /></td>
          </tr>`,
        )}
      </tbody>
    </table>
    <${Pager} list=${list} noun="calls" />
  <//>`;
}

/** The recording's status, and once it is stored a Play button that swaps in an audio player. */
function Recording({ api, call }) {
  const [source, setSource] = useState(null);
  const [error, setError] = useState(null);
  if (call.recordingStatus !== "completed") return html`<span class="muted">${words(call.recordingStatus)}</span>`;
  if (source) {
    return html`<audio controls autoplay src=${source} aria-label=${`Recording of the call with ${partyOf(call)}`}></audio>`;
  }
  const play = () =>
    api.recordingLink(call.id).then(
      (url) => setSource(url),
      (caught) => setError(caught.message),
    );
  return html`<button type="button" class="secondary" onClick=${play} aria-label=${`Play the recording of the call with ${partyOf(call)}`}>
      Play
    </button>
    ${error && html`<span class="notice error" role="alert">${error}</span>`}`;
}
