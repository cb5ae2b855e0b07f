/** The server with Acme Voice as its telephony: `pnpm --filter @voxanne/example-vendor-swap start`. */
import { closeOnSignals, loadConfig } from "@voxanne/adapter-http/server";
import { acmeTelephony } from "./acmeTelephony.ts";
import { startWithTelephony } from "./swap.ts";

closeOnSignals(await startWithTelephony(loadConfig(), acmeTelephony(console.log)));
