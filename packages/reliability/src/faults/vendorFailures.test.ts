/**
 * Fault: the vendor APIs slow or failing. Callbacks (POST /api/contacts/:id/call-back, Vapi) and
 * texts (POST /api/contacts/:id/sms, Twilio) fail cleanly: a clear 502 or 503 (with Retry-After
 * when trying again can help) whose body names our error and nothing of the vendor's, the call
 * recorded `failed`; a vendor that never answers costs one time-out (15 s, the adapters' default),
 * never a hung request. Hot-lead alerts refused by a rate-limited Twilio are retried by the outbox
 * and each arrives exactly once.
 */
import { expect, it } from "vitest";
import { describeRun, runLoad } from "../load/loadRun.ts";
import { literal } from "../support/database.ts";
import { stackPerFile } from "../support/stackPerFile.ts";

/** The adapters' default time-out (vapiTelephony, twilioSms) plus room for a loaded machine. */
const VENDOR_TIMEOUT_MS = 15_000;
const HANG_BOUND_MS = VENDOR_TIMEOUT_MS + 5_000;
/** Stands for the vendor's own error text: it must never reach our API's answers. */
const VENDOR_DETAIL = "vendor-internal-detail-7f3a";

// A "slow" vendor holds its answer for 2 minutes: past any time-out, i.e. it never answers.
const stackOf = stackPerFile({ vendorSlowMs: 120_000 });
let contactId: string;

interface Outcome {
  status: number;
  ms: number;
  text: string;
  retryAfter: string | null;
}

async function timed(path: string, body?: unknown): Promise<Outcome> {
  const started = performance.now();
  const response = await stackOf().api(path, {
    method: "POST",
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    ms: performance.now() - started,
    text,
    retryAfter: response.headers.get("retry-after"),
  };
}

const callBack = () => timed(`/api/contacts/${contactId}/call-back`);
const text = () => timed(`/api/contacts/${contactId}/sms`, { body: "Your consultation is confirmed for Thursday." });

/** A clean failure: the status, our error code, nothing of the vendor's text. */
function expectClean(outcome: Outcome, status: number, code: string): void {
  expect(outcome.status, outcome.text).toBe(status);
  expect(JSON.parse(outcome.text)).toEqual({ error: { code, message: expect.any(String) } });
  expect(outcome.text).not.toContain(VENDOR_DETAIL);
  expect(outcome.ms).toBeLessThan(HANG_BOUND_MS);
}

it("retries hot-lead alerts that a rate-limited Twilio refused, and sends each once", async () => {
  const stack = stackOf();
  stack.twilio.failNext("rate_limited", { times: 3, detail: VENDOR_DETAIL });
  const run = await runLoad(stack, { calls: 60, prefix: "vendor" });
  console.log(describeRun("alerts through a rate-limited Twilio", run));
  expect(run.problems, run.problems.join("\n")).toEqual([]);
  expect(stack.twilio.requests.filter((r) => r.status === 429)).toHaveLength(3);

  const [row] = await stack.database.sql.rows<{ id: string }>(
    `select id from contacts where org_id = ${literal(stack.clinic.orgId)} order by phone limit 1`,
  );
  contactId = row?.id ?? "";
  expect(contactId).not.toBe("");
});

it("fails a callback cleanly when Vapi fails, rate-limits or cannot be reached", async () => {
  const stack = stackOf();
  await stack.vapi.failNext("server_error", { detail: VENDOR_DETAIL });
  expectClean(await callBack(), 502, "CALLBACK_FAILED");

  // More 429s than the adapter's retries: retryable, so 503 with Retry-After.
  await stack.vapi.failNext("rate_limited", { times: 3, retryAfterSeconds: 1, detail: VENDOR_DETAIL });
  const limited = await callBack();
  expectClean(limited, 503, "CALLBACK_FAILED");
  expect(limited.retryAfter).not.toBeNull();

  await stack.vapi.failNext("refuse");
  const refused = await callBack();
  await stack.vapi.resume();
  expectClean(refused, 503, "CALLBACK_FAILED");

  const failed = await stack.database.sql.rows<{ n: string }>(
    `select count(*) as n from calls where org_id = ${literal(stack.clinic.orgId)}
        and direction = 'outbound' and status = 'failed' and contact_id = ${literal(contactId)}`,
  );
  expect(Number(failed[0]?.n), "each failed callback is recorded as a failed call").toBe(3);
});

it("fails a text cleanly when Twilio fails or rate-limits", async () => {
  const stack = stackOf();
  stack.twilio.failNext("server_error", { detail: VENDOR_DETAIL });
  expectClean(await text(), 502, "SMS_UNCONFIRMED");
  stack.twilio.failNext("rate_limited", { detail: VENDOR_DETAIL });
  const limited = await text();
  expectClean(limited, 503, "SMS_UNAVAILABLE");
  expect(limited.retryAfter).not.toBeNull();
});

it("answers within the time-out when a vendor never answers, and works again when it does", async () => {
  const stack = stackOf();
  await stack.vapi.failNext("slow");
  stack.twilio.failNext("slow");
  const [call, sms] = await Promise.all([callBack(), text()]);
  console.log(
    `vendor never answers: callback ${call.status} in ${call.ms.toFixed(0)} ms, sms ${sms.status} in ${sms.ms.toFixed(0)} ms`,
  );
  expectClean(call, 502, "CALLBACK_FAILED");
  expectClean(sms, 502, "SMS_UNCONFIRMED");
  expect(call.ms, "the callback waited for the time-out").toBeGreaterThanOrEqual(VENDOR_TIMEOUT_MS - 1_000);

  expect((await callBack()).status).toBe(202);
  expect((await text()).status).toBe(202);
});
