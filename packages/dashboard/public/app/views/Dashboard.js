/**
 * The signed-in page: header with the live status and sign-out, navigation, and the sections.
 * One WebSocket feeds every section through a bus; after a reconnect every section reloads, since
 * events sent while the socket was down are not replayed.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { html } from "../html.js";
import { createApi } from "../lib/api.js";
import { connectLive, createBus } from "../lib/live.js";
import { Activity } from "./Activity.js";
import { Calls } from "./Calls.js";
import { Leads } from "./Leads.js";
import { Pulse } from "./Pulse.js";
import { Services } from "./Services.js";

const SECTIONS = [
  ["pulse", "Pulse"],
  ["activity", "Activity"],
  ["leads", "Leads"],
  ["calls", "Calls"],
  ["services", "Services"],
];

const LIVE_TEXT = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
};

export function Dashboard({ token, onSignOut }) {
  const api = useMemo(
    () => createApi(token, { onUnauthorized: () => onSignOut("Your session has ended: sign in again.") }),
    [token],
  );
  const bus = useMemo(() => createBus(), []);
  const [live, setLive] = useState({ status: "connecting" });
  const [reloadKey, setReloadKey] = useState(0);
  const [services, setServices] = useState([]);
  const [servicesError, setServicesError] = useState(null);

  useEffect(() => {
    const connection = connectLive({
      token,
      onEvent: (event) => bus.publish(event),
      onStatus: (status, info) => {
        setLive({ status, ...info });
        if (info.reconnected) setReloadKey((n) => n + 1);
      },
    });
    return () => connection.close();
  }, [token, bus]);

  useEffect(() => {
    api.get("/api/services").then(
      (answer) => {
        setServices(answer.items);
        setServicesError(null);
      },
      (caught) => setServicesError(caught.message),
    );
  }, [api, reloadKey]);

  const liveText =
    live.status === "reconnecting" && live.delayMs !== undefined
      ? `Reconnecting in ${Math.ceil(live.delayMs / 1000)} s`
      : LIVE_TEXT[live.status];

  return html`<a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <p class="brand">Voxanne</p>
      <nav aria-label="Sections">
        <ul>
          ${SECTIONS.map(([id, label]) => html`<li><a href=${`#${id}`}>${label}</a></li>`)}
        </ul>
      </nav>
      <p class=${`live live-${live.status}`} role="status" aria-label=${`Live updates: ${liveText}`}>
        <span class="dot" aria-hidden="true"></span>${liveText}
      </p>
      <button type="button" class="secondary" onClick=${() => onSignOut()}>Sign out</button>
    </header>
    <main id="main" tabindex="-1">
      <h1 class="sr-only">Clinic dashboard</h1>
      <${Pulse} api=${api} bus=${bus} reloadKey=${reloadKey} />
      <${Activity} api=${api} bus=${bus} reloadKey=${reloadKey} />
      <${Leads} api=${api} bus=${bus} reloadKey=${reloadKey} />
      <${Calls} api=${api} bus=${bus} reloadKey=${reloadKey} services=${services} />
      <${Services} api=${api} services=${services} setServices=${setServices} error=${servicesError} />
    </main>`;
}
