/**
 * The server child process the reliability tests start: the real `startServer` over the
 * configuration from the environment (as `pnpm start` runs it), drained on SIGTERM. One change
 * only: Twilio's SDK is pointed at the fake Twilio of the test process (the server's config has
 * no Twilio base URL), through the SDK's own HTTP client, with the adapter's default time-out.
 *
 * Env beyond the server's own: RELIABILITY_TWILIO_BASE_URL (the fake Twilio).
 */
import { closeOnSignals, loadConfig, startServer } from "@voxanne/adapter-http/server";
import { twilioSms } from "@voxanne/adapter-twilio";
import { RedirectingRequestClient } from "@voxanne/adapter-twilio/testing";
import { TOKENS } from "@voxanne/core/container";

/** twilioSms's own default time-out, kept for the client we hand it. */
const TWILIO_TIMEOUT_MS = 15_000;

const config = loadConfig(process.env);
const twilioBaseUrl = process.env.RELIABILITY_TWILIO_BASE_URL;
const { twilio, publicUrl } = config;

const running = await startServer(config, {
  configure(container) {
    if (!twilioBaseUrl || !twilio || !publicUrl) return;
    const sms = twilioSms({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      defaultFrom: twilio.from,
      messagingServiceSid: twilio.messagingServiceSid,
      httpClient: new RedirectingRequestClient(twilioBaseUrl, { timeout: TWILIO_TIMEOUT_MS }),
      statusCallbackUrl: (r) =>
        `${publicUrl}/webhooks/twilio/status?org=${encodeURIComponent(r.orgId)}&message=${encodeURIComponent(r.messageId)}`,
    });
    container.register(TOKENS.Sms, { useValue: sms });
  },
});
closeOnSignals(running);
