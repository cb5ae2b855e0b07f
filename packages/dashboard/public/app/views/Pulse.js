/**
 * The pulse: headline numbers over the chosen window, the time series as charts, the lead funnel
 * and value per service. Refreshed (debounced) when live events say calls or leads changed.
 * The three analytics endpoints may be missing on an older server: their parts then say so.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { html } from "../html.js";
import { compactMoney, duration, money, percent } from "../lib/format.js";
import { chartWindow, fillGaps, INTERVALS, SPAN } from "../lib/series.js";
import { Chart } from "./Chart.js";
import { Section, Select, useLive } from "./common.js";

const REFRESH_AFTER_MS = 400;
const REFRESHING_EVENTS = new Set([
  "call.started",
  "call.updated",
  "call.ended",
  "callback.placed",
  "appointment.booked",
]);
const WINDOW_LABEL = {
  day: `Last ${SPAN.day} days`,
  week: `Last ${SPAN.week} weeks`,
  month: `Last ${SPAN.month} months`,
};
const FUNNEL_LABEL = { new: "New", contacted: "Contacted", booked: "Booked", converted: "Converted" };

/** The browser's zone until the API names the org's (the time series answer carries it). */
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** `{ data }`, `{ missing: true }` on a 404 (endpoint not on this server), or `{ error }`. */
const settle = (promise) =>
  promise.then(
    (data) => ({ data }),
    (error) => (error.status === 404 ? { missing: true } : { error: error.message }),
  );

/** Counts are whole: an axis tick between two of them gets no label. */
const wholeTick = (n) => (Number.isInteger(n) ? String(n) : "");

const CHARTS = [
  {
    title: "Calls and bookings",
    series: [
      { label: "Calls", value: (p) => p.totalCalls, format: String, tick: wholeTick },
      { label: "Bookings", value: (p) => p.bookings, format: String },
    ],
  },
  { title: "Success rate", series: [{ label: "Success rate", value: (p) => p.successRate, format: percent }] },
  {
    title: "Pipeline value",
    series: [
      { label: "Pipeline value", value: (p) => p.pipelineValueCents, format: (n) => money(n), tick: compactMoney },
    ],
  },
];

export function Pulse({ api, bus, reloadKey }) {
  const [interval, chooseInterval] = useState("day");
  const [timeZone, setTimeZone] = useState(browserZone);
  const [state, setState] = useState({ loading: true });
  const [refreshes, setRefreshes] = useState(0);
  const timer = useRef(undefined);

  useLive(bus, (event) => {
    if (!REFRESHING_EVENTS.has(event.type)) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setRefreshes((n) => n + 1), REFRESH_AFTER_MS);
  });
  useEffect(() => () => clearTimeout(timer.current), []);

  useEffect(() => {
    let current = true;
    const span = chartWindow(interval, new Date(), timeZone);
    const range = { from: span.query.from, to: span.query.to };
    Promise.all([
      settle(api.get("/api/analytics/dashboard-pulse", range)),
      settle(api.get("/api/analytics/timeseries", span.query)),
      settle(api.get("/api/analytics/funnel", range)),
      settle(api.get("/api/analytics/services", range)),
    ]).then(([pulse, series, funnel, services]) => {
      if (!current) return;
      const zone = series.data?.timeZone;
      if (zone && zone !== timeZone) setTimeZone(zone); // re-runs with the org's buckets
      const points = series.data ? fillGaps(series.data.points ?? [], { interval, ...span }) : undefined;
      setState({ pulse, series: { ...series, points }, funnel, services });
    });
    return () => {
      current = false;
    };
  }, [api, interval, timeZone, refreshes, reloadKey]);

  const picker = html`<${Select}
    label="Show"
    value=${interval}
    options=${INTERVALS.map((i) => [i, `${WINDOW_LABEL[i]}, by ${i}`])}
    onChange=${chooseInterval}
  />`;

  return html`<${Section} id="pulse" title="Pulse" actions=${picker}>
    <p class="muted">${WINDOW_LABEL[interval]} · times in ${timeZone}</p>
    ${state.loading ? html`<p class="muted">Loading the pulse…</p>` : html`<${PulseBody} state=${state} />`}
  <//>`;
}

function PulseBody({ state }) {
  const { pulse, series, funnel, services } = state;
  return html`
    ${pulse.error ? html`<p class="notice error" role="alert">Could not load the pulse: ${pulse.error}</p>` : html`<${Cards} pulse=${pulse.data} />`}
    <${Trends} series=${series} />
    <div class="columns">
      <${Funnel} funnel=${funnel} />
      <${ByService} services=${services} />
    </div>
  `;
}

function Cards({ pulse }) {
  if (!pulse) return null;
  const cards = [
    ["Pipeline value", money(pulse.pipelineValueCents), "pipeline"],
    ["Success rate", percent(pulse.successRate), "success"],
    ["Calls", `${pulse.totalCalls}`, "volume", `${pulse.inboundCalls} inbound · ${pulse.bookings} booked`],
    ["Average duration", duration(pulse.avgDurationSeconds), "duration"],
    ["Hot leads", `${pulse.hotLeads}`, "hot"],
  ];
  return html`<dl class="cards">
    ${cards.map(
      ([label, value, key, note]) => html`<div class="card" data-metric=${key}>
        <dt>${label}</dt>
        <dd>
          <span class="figure">${value}</span>
          ${note && html`<span class="muted small">${note}</span>`}
        </dd>
      </div>`,
    )}
  </dl>`;
}

const Unavailable = ({ what }) => html`<p class="muted">${what} are not available on this server yet.</p>`;
const Failed = ({ what, error }) => html`<p class="notice error" role="alert">Could not load ${what}: ${error}</p>`;

function Trends({ series }) {
  if (series.missing) return html`<${Unavailable} what="Trends" />`;
  if (series.error) return html`<${Failed} what="the trends" error=${series.error} />`;
  return html`<div class="charts">
    ${CHARTS.map((chart) => html`<${Chart} title=${chart.title} points=${series.points} series=${chart.series} />`)}
  </div>`;
}

function Funnel({ funnel }) {
  const stages = funnel.data?.stages ?? [];
  const top = useMemo(() => Math.max(1, ...stages.map((s) => s.count)), [stages]);
  return html`<div class="subpanel">
    <h3>Lead funnel</h3>
    ${funnel.missing && html`<${Unavailable} what="Funnel figures" />`}
    ${funnel.error && html`<${Failed} what="the funnel" error=${funnel.error} />`}
    ${
      funnel.data &&
      html`<ol class="funnel">
      ${stages.map(
        (s) => html`<li>
          <span class="funnel-label">${FUNNEL_LABEL[s.stage] ?? s.stage}</span>
          <meter min="0" max=${top} value=${s.count} aria-label=${`${FUNNEL_LABEL[s.stage] ?? s.stage} leads`}></meter>
          <span class="funnel-count">${s.count}</span>
        </li>`,
      )}
    </ol>`
    }
  </div>`;
}

function ByService({ services }) {
  const items = services.data?.items ?? [];
  return html`<div class="subpanel">
    <h3>By service</h3>
    ${services.missing && html`<${Unavailable} what="Figures per service" />`}
    ${services.error && html`<${Failed} what="figures per service" error=${services.error} />`}
    ${
      services.data &&
      (items.length === 0
        ? html`<p class="muted">No priced calls in this window.</p>`
        : html`<table class="compact">
          <thead>
            <tr><th scope="col">Service</th><th scope="col">Calls</th><th scope="col">Bookings</th><th scope="col">Pipeline value</th></tr>
          </thead>
          <tbody>
            ${items.map(
              (s) => html`<tr>
                <th scope="row">${s.name}</th><td>${s.calls}</td><td>${s.bookings}</td><td>${money(s.pipelineValueCents)}</td>
              </tr>`,
            )}
          </tbody>
        </table>`)
    }
  </div>`;
}
