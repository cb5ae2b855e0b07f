/**
 * Wires the core: give it the ports, get the use cases ready to call. This is how an app embeds
 * Voxanne, and what the server's composition root calls.
 *
 * @example
 * const voxanne = createVoxanne({ storage: memoryStorage(), telephony, sms, live });
 * const org = await voxanne.organizations.create({ name: "Bright Aesthetics" });
 * await voxanne.receive("voxanne", org.id, "call-1:started", { type: "CallStarted", ... });
 * await voxanne.settle();
 * console.log(await voxanne.metrics.pulse(org.id));
 */
import type { Provider } from "./domain/eventLog.ts";
import type { Clock } from "./ports/clock.ts";
import { systemClock } from "./ports/clock.ts";
import type { EventDecoder } from "./ports/eventDecoder.ts";
import type { LiveEvents } from "./ports/liveEvents.ts";
import type { RecordingStore } from "./ports/recordingStore.ts";
import type { SentimentAnalyser } from "./ports/sentiment.ts";
import type { Sms } from "./ports/sms.ts";
import type { Storage } from "./ports/storage.ts";
import type { Telephony } from "./ports/telephony.ts";
import { Pump } from "./runtime/pump.ts";
import { bookAppointment } from "./usecases/appointments/bookAppointment.ts";
import { requestCallback } from "./usecases/callbacks/requestCallback.ts";
import { deleteCall, getCall, listCalls } from "./usecases/calls/manageCalls.ts";
import { getContact, listContacts, updateContact } from "./usecases/contacts/manageContacts.ts";
import type { Deps, RetryPolicy } from "./usecases/context.ts";
import { nativeDecoder } from "./usecases/events/nativeDecoder.ts";
import { receive } from "./usecases/events/receive.ts";
import { replay } from "./usecases/events/replay.ts";
import { runProjector } from "./usecases/events/runProjector.ts";
import { callTimeseries, leadFunnel, serviceBreakdown } from "./usecases/metrics/analytics.ts";
import { dashboardPulse, recentActivity } from "./usecases/metrics/dashboard.ts";
import { createOrganization } from "./usecases/organizations/createOrganization.ts";
import { getOrganization, updateOrganization } from "./usecases/organizations/updateOrganization.ts";
import type { OutboxHandler } from "./usecases/outbox/deliverOutbox.ts";
import { CORE_OUTBOX_HANDLERS, deliverOutbox } from "./usecases/outbox/deliverOutbox.ts";
import { fetchRecording, OUTBOX_RECORDING_FETCH } from "./usecases/outbox/fetchRecording.ts";
import { DEFAULT_RETRY } from "./usecases/outbox/retryPolicy.ts";
import { PriceMatcherCache } from "./usecases/pricing/priceMatcher.ts";
import { signRecordingLink, verifyRecordingLink } from "./usecases/recordings/recordingLink.ts";
import type { ScoringSettings } from "./usecases/scoring/scoreLead.ts";
import { DEFAULT_SCORING } from "./usecases/scoring/scoreLead.ts";
import { lexiconSentiment } from "./usecases/sentiment/lexiconSentiment.ts";
import {
  createService,
  deleteService,
  getService,
  listServices,
  updateService,
} from "./usecases/services/manageServices.ts";
import { sendSms } from "./usecases/sms/sendSms.ts";

export interface VoxanneOptions {
  storage: Storage;
  telephony: Telephony;
  sms: Sms;
  live: LiveEvents;
  clock?: Clock;
  /** Where call recordings are copied; without one, recordings stay at the vendor (status `pending`). */
  recordings?: RecordingStore;
  /** Used when the vendor sent no analysis; defaults to the lexicon analyser. */
  sentiment?: SentimentAnalyser;
  /** Decoders by provider; the `voxanne` (native) decoder is always there. */
  decoders?: EventDecoder[];
  scoring?: Partial<ScoringSettings>;
  retry?: Partial<RetryPolicy>;
  /** Extra outbox handlers by kind (e.g. recording downloads from an adapter). */
  outboxHandlers?: Record<string, OutboxHandler>;
  newId?: () => string;
  /** Told of failures in background work (projection, delivery). Defaults to ignoring them: they stay recorded on the event or outbox item. */
  onError?: Deps["onError"];
  /** Project and deliver in the background right after each call (default true). Off, call `process()` yourself. */
  autoProcess?: boolean;
}

type Rest<F> = F extends (deps: Deps, ...rest: infer R) => infer Out ? (...rest: R) => Out : never;

export function createVoxanne(options: VoxanneOptions) {
  const deps: Deps = {
    storage: options.storage,
    telephony: options.telephony,
    sms: options.sms,
    live: options.live,
    clock: options.clock ?? systemClock,
    sentiment: options.sentiment ?? lexiconSentiment(),
    decoders: new Map<Provider, EventDecoder>([nativeDecoder, ...(options.decoders ?? [])].map((d) => [d.provider, d])),
    newId: options.newId ?? (() => crypto.randomUUID()),
    keepsRecordings: options.recordings !== undefined,
    scoring: { ...DEFAULT_SCORING, ...options.scoring },
    prices: new PriceMatcherCache(),
    retry: { ...DEFAULT_RETRY, ...options.retry },
    onError: options.onError ?? (() => {}),
  };
  const handlers = {
    ...CORE_OUTBOX_HANDLERS,
    ...(options.recordings && { [OUTBOX_RECORDING_FETCH]: fetchRecording(options.recordings) }),
    ...options.outboxHandlers,
  };
  const projectBatch = () => runProjector(deps);
  const deliverBatch = () => deliverOutbox(deps, handlers);
  const pump = new Pump([projectBatch, deliverBatch], (error) => deps.onError(error, { what: "background work" }));
  const autoProcess = options.autoProcess ?? true;

  /** Binds a use case to the deps (failures always reject, never throw), and kicks background work after it. */
  const bind = <F extends (deps: Deps, ...rest: never[]) => Promise<unknown>>(useCase: F): Rest<F> =>
    (async (...rest: never[]) => {
      try {
        return await useCase(deps, ...rest);
      } finally {
        if (autoProcess) pump.kick();
      }
    }) as Rest<F>;

  return {
    /** Logs a vendor payload once and returns at once; projection follows in the background. */
    receive: bind(receive),
    /** Rebuilds every projection from the event log with the current rules. Sends nothing. */
    replay: bind(replay),
    organizations: { create: bind(createOrganization), get: bind(getOrganization), update: bind(updateOrganization) },
    services: {
      list: bind(listServices),
      get: bind(getService),
      create: bind(createService),
      update: bind(updateService),
      delete: bind(deleteService),
    },
    contacts: {
      list: bind(listContacts),
      get: bind(getContact),
      update: bind(updateContact),
      callBack: bind(requestCallback),
      sendSms: (orgId: string, contactId: string, body: string) => bind(sendSms)(orgId, { contactId, body }),
    },
    calls: { list: bind(listCalls), get: bind(getCall), delete: bind(deleteCall) },
    /** Books inline (Vapi waits for the answer), idempotent on the tool call id. */
    appointments: { book: bind(bookAppointment) },
    /** Signed, expiring links to stored call recordings. */
    recordings: { signLink: bind(signRecordingLink), verifyLink: bind(verifyRecordingLink) },
    metrics: {
      pulse: bind(dashboardPulse),
      recentActivity: bind(recentActivity),
      /** Per day, ISO week or month of the org's time zone; only buckets with calls. */
      timeseries: bind(callTimeseries),
      funnel: bind(leadFunnel),
      services: bind(serviceBreakdown),
    },
    /** One round of work, for apps that turn `autoProcess` off: project pending events, deliver due side effects. */
    process: async () => ({ projected: await projectBatch(), delivered: await deliverBatch() }),
    /** Waits until background work has nothing ready (tests, graceful shutdown). */
    settle: () => pump.settle(),
    /** Polls for leftovers, retries and other processes' events every `intervalMs`. */
    start: (intervalMs = 1_000) => pump.start(intervalMs),
    stop: async () => {
      pump.stop();
      await pump.settle();
    },
    deps,
  };
}

export type Voxanne = ReturnType<typeof createVoxanne>;
