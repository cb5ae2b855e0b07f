/**
 * The vendor swap: the same server as `pnpm start`, with Acme Voice placing the calls instead of
 * Vapi. One registration on the composition root's container, nothing else changed.
 */
import type { RunningServer, ServerConfig, StartOptions } from "@voxanne/adapter-http/server";
import { startServer } from "@voxanne/adapter-http/server";
import { TOKENS } from "@voxanne/core/container";
import type { AcmeTelephony } from "./acmeTelephony.ts";

export function startWithTelephony(
  config: ServerConfig,
  telephony: AcmeTelephony,
  options: StartOptions = {},
): Promise<RunningServer> {
  return startServer(config, {
    ...options,
    configure: (container) => container.register(TOKENS.Telephony, { useValue: telephony }),
  });
}
