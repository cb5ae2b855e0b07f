/** The twilio SDK's own HTTP client, sending every request to another base URL (a fake Twilio). */
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient.js";

/**
 * A `RequestClient` that keeps the path and query of each request and swaps scheme, host and port
 * for `baseUrl`. The SDK still builds the request (Basic auth, form body, headers) exactly as it
 * would for api.twilio.com; only the destination changes. `options` are the SDK's own
 * (`timeout`, `autoRetry`...): with a custom client they are the only place a time-out is set.
 *
 * @example
 * const httpClient = new RedirectingRequestClient(fake.baseUrl, { timeout: 300 });
 * const sms = twilioSms({ accountSid, authToken, httpClient });
 */
export class RedirectingRequestClient extends twilio.RequestClient {
  readonly baseUrl: string;

  constructor(baseUrl: string | URL, options?: RequestClient.RequestClientOptions) {
    super(options);
    this.baseUrl = String(baseUrl);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const { pathname, search } = new URL(opts.uri);
    return super.request<TData>({ ...opts, uri: new URL(pathname + search, this.baseUrl).href });
  }
}
