/**
 * tsyringe registration for a composition root: symbol tokens for every port and for the wired
 * core, registered with factories (no decorators). A test or an app overrides any port by
 * passing it, or by registering its token again on a child container.
 *
 * @example
 * const child = container.createChildContainer();
 * registerVoxanne(child, { storage: memoryStorage(), telephony, sms, live });
 * child.register(TOKENS.Telephony, { useValue: myTelephony }); // swap a vendor
 * const voxanne = child.resolve(TOKENS.Voxanne);
 */
import "reflect-metadata";
import type { DependencyContainer, InjectionToken } from "tsyringe";
import { instanceCachingFactory, instancePerContainerCachingFactory } from "tsyringe";
import type { Voxanne, VoxanneOptions } from "./createVoxanne.ts";
import { createVoxanne } from "./createVoxanne.ts";
import type { Clock } from "./ports/clock.ts";
import { systemClock } from "./ports/clock.ts";
import type { EventDecoder } from "./ports/eventDecoder.ts";
import type { LiveEvents } from "./ports/liveEvents.ts";
import type { RecordingStore } from "./ports/recordingStore.ts";
import type { SentimentAnalyser } from "./ports/sentiment.ts";
import type { Sms } from "./ports/sms.ts";
import type { Storage } from "./ports/storage.ts";
import type { Telephony } from "./ports/telephony.ts";
import { lexiconSentiment } from "./usecases/sentiment/lexiconSentiment.ts";

const token = <T>(name: string) => Symbol(`voxanne.${name}`) as InjectionToken<T>;

export const TOKENS = {
  Storage: token<Storage>("Storage"),
  Telephony: token<Telephony>("Telephony"),
  Sms: token<Sms>("Sms"),
  Clock: token<Clock>("Clock"),
  LiveEvents: token<LiveEvents>("LiveEvents"),
  Sentiment: token<SentimentAnalyser>("Sentiment"),
  /** Optional: register one to keep copies of call recordings. */
  Recordings: token<RecordingStore>("Recordings"),
  Decoders: token<EventDecoder[]>("Decoders"),
  /** The other `createVoxanne` options (scoring, retry, outbox handlers, onError…). */
  Options: token<Partial<VoxanneOptions>>("Options"),
  Voxanne: token<Voxanne>("Voxanne"),
} as const;

type PortKey = "storage" | "telephony" | "sms" | "live" | "clock" | "sentiment" | "decoders" | "recordings";
type PortOverrides = Partial<Pick<VoxanneOptions, PortKey>> & Omit<Partial<VoxanneOptions>, PortKey>;

/**
 * Registers the ports given in `overrides` (storage, telephony, sms and live have no default and
 * must be given here or registered before resolving) and a singleton `TOKENS.Voxanne` built
 * from whatever the container holds when it is first resolved.
 */
export function registerVoxanne(container: DependencyContainer, overrides: PortOverrides = {}): DependencyContainer {
  const { storage, telephony, sms, live, clock, sentiment, decoders, recordings, ...options } = overrides;
  const put = <T>(tok: InjectionToken<T>, value: T | undefined) => {
    if (value !== undefined) container.register(tok, { useValue: value });
  };
  put(TOKENS.Storage, storage);
  put(TOKENS.Telephony, telephony);
  put(TOKENS.Sms, sms);
  put(TOKENS.LiveEvents, live);
  put(TOKENS.Clock, clock ?? systemClock);
  container.register(TOKENS.Sentiment, { useFactory: instanceCachingFactory(() => sentiment ?? lexiconSentiment()) });
  put(TOKENS.Decoders, decoders ?? []);
  put(TOKENS.Recordings, recordings);
  put(TOKENS.Options, options);
  // One Voxanne per container, so a child container with an overridden port gets its own.
  container.register(TOKENS.Voxanne, {
    useFactory: instancePerContainerCachingFactory((c) =>
      createVoxanne({
        ...c.resolve(TOKENS.Options),
        storage: c.resolve(TOKENS.Storage),
        telephony: c.resolve(TOKENS.Telephony),
        sms: c.resolve(TOKENS.Sms),
        live: c.resolve(TOKENS.LiveEvents),
        clock: c.resolve(TOKENS.Clock),
        sentiment: c.resolve(TOKENS.Sentiment),
        decoders: c.resolve(TOKENS.Decoders),
        recordings: c.isRegistered(TOKENS.Recordings, true) ? c.resolve(TOKENS.Recordings) : undefined,
      }),
    ),
  });
  return container;
}
