/**
 * The dashboard in headless Chromium against a real server: sign in with a token, see a Vapi
 * webhook's call arrive live, call a lead back, text a lead, and change a price that the next call
 * is priced with. One browser and one page for the file; the tests run in order on that page.
 */
import type { Browser, ConsoleMessage, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../testSupport.ts";
import type { PageGlobals } from "./browser.ts";
import { chromiumAvailable, launchBrowser, screenshot } from "./browser.ts";
import type { DashboardServer } from "./harness.ts";
import { startDashboardServer } from "./harness.ts";

const MARIA = { number: "+13125550123", name: "Maria Lopez" };

describe.skipIf(!chromiumAvailable)("dashboard in a browser", () => {
  let server: DashboardServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startDashboardServer(), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (message: ConsoleMessage) => {
      // Refused requests (a bad token, analytics not on this server yet) are answers the page handles.
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
        consoleErrors.push(message.text());
      }
    });
    page.on("pageerror", (error) => consoleErrors.push(String(error)));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("serves the page at / with a Content-Security-Policy, and signs in with a token only when it is valid", async () => {
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'sha256-/);
    // The page is not part of the API: the OpenAPI document does not list it.
    const openapi = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths).filter((path) => !path.startsWith("/api/"))).not.toContain("/");
    expect(Object.keys(openapi.paths).some((path) => path.startsWith("/dashboard"))).toBe(false);

    const tokenField = page.getByLabel("Access token (JWT)");
    await tokenField.fill("not-a-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/not accepted/);

    await tokenField.fill(`Bearer ${server.token}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Pulse" }).waitFor();
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.getItem("voxanne.token")),
    ).toBe(server.token);
    await page.getByRole("status", { name: "Live updates: Live" }).waitFor();
    await screenshot(page, "signed-in");
  });

  it("shows a call sent as a Vapi webhook live, without a reload", async () => {
    await page.evaluate(() => Object.assign(globalThis, { beforeWebhook: true }));
    const pulseCalls = page.locator('[data-metric="volume"] .figure');
    const before = Number(await pulseCalls.textContent());

    expect(await server.inboundCall("dash-in-1", MARIA, "I'd like a price for Botox, and a call back please.")).toEqual(
      [200, 200, 200],
    );

    const row = page.locator('tr[data-vendor-call="dash-in-1"]');
    await row.waitFor();
    await expect.poll(() => row.textContent()).toMatch(/completed/);
    await expect.poll(async () => Number(await pulseCalls.textContent())).toBe(before + 1);
    await page.locator("#leads").getByText(MARIA.name).waitFor();
    await page.locator("#activity li").first().waitFor();
    expect(await page.evaluate(() => "beforeWebhook" in globalThis)).toBe(true); // the same document: no reload
    await screenshot(page, "live-call");
  });

  it("calls a lead back after a confirmation; the telephony simulator places the call", async () => {
    const lead = page.locator("#leads tbody tr", { hasText: MARIA.name });
    await lead.getByRole("button", { name: `Call back ${MARIA.name}` }).click();
    const dialog = page.getByRole("dialog", { name: "Call back?" });
    await dialog.getByText(MARIA.number).waitFor();
    await screenshot(page, "call-back-confirm");
    await dialog.getByRole("button", { name: "Call now" }).click();

    const confirmation = page.locator("#leads").getByRole("status").filter({ hasText: "Calling" });
    await expect
      .poll(() => confirmation.textContent())
      .toMatch(`Calling ${MARIA.name}: the call is placed (initiated).`);
    expect(await dialog.isVisible()).toBe(false);

    const placed = await eventually(async () => {
      const line = server.logs.find((l) => l.msg === "Vapi simulator: would place an outbound call");
      expect(line).toBeDefined();
      return line;
    });
    const outbound = page.locator(`tr[data-call="${String(placed?.callId)}"]`);
    await outbound.waitFor();
    expect(await outbound.textContent()).toMatch(`To ${MARIA.number}`);
    // The simulator plays Vapi's webhooks back: the row follows the call to its end, live.
    await expect.poll(() => outbound.textContent(), { timeout: 15_000 }).toMatch(/completed/);
  });

  it("shows a refused callback's error in the dialog and keeps it open", async () => {
    await page.route("**/api/contacts/*/call-back", (route) =>
      route.fulfill({
        status: 503,
        contentType: "application/json",
        headers: { "Retry-After": "30" },
        body: JSON.stringify({ error: { code: "VENDOR_UNAVAILABLE", message: "The phone service is unavailable" } }),
      }),
    );
    try {
      const lead = page.locator("#leads tbody tr", { hasText: MARIA.name });
      await lead.getByRole("button", { name: `Call back ${MARIA.name}` }).click();
      const dialog = page.getByRole("dialog", { name: "Call back?" });
      await dialog.getByRole("button", { name: "Call now" }).click();
      await expect
        .poll(() => dialog.getByRole("alert").textContent())
        .toBe("Could not place the call: The phone service is unavailable Try again in 30 s.");
      await screenshot(page, "call-back-error");
      await dialog.getByRole("button", { name: "Cancel" }).click();
      expect(await dialog.isVisible()).toBe(false);
    } finally {
      await page.unroute("**/api/contacts/*/call-back");
    }
  });

  it("texts a lead and confirms it; the SMS simulator is asked to send it", async () => {
    const lead = page.locator("#leads tbody tr", { hasText: MARIA.name });
    await lead.getByRole("button", { name: `Send an SMS to ${MARIA.name}` }).click();
    const dialog = page.getByRole("dialog", { name: "Send an SMS" });
    await dialog.getByLabel("Message").fill("Your consultation is confirmed for Thursday at 3 PM.");
    await dialog.getByRole("button", { name: "Send SMS" }).click();

    const confirmation = page.locator("#leads").getByRole("status").filter({ hasText: "SMS to" });
    await expect.poll(() => confirmation.textContent()).toBe(`SMS to ${MARIA.name}: queued.`);
    const sent = await eventually(async () => {
      const line = server.logs.find((l) => l.msg === "SMS simulator: would send a text message");
      expect(line).toMatchObject({ chars: 52 });
      return line;
    });
    expect(sent?.messageId).toEqual(expect.any(String));
  });

  it("edits a price; the next call naming that service is priced with it", async () => {
    const botox = page.locator("#services li", { has: page.getByRole("group", { name: "Botox" }) });
    await botox.getByLabel("Price").fill("abc");
    await botox.getByRole("button", { name: "Save Botox" }).click();
    await expect
      .poll(() => page.locator("#services").getByRole("alert").textContent())
      .toMatch(/price must be an amount/);

    await botox.getByLabel("Price").fill("432.10");
    await botox.getByRole("button", { name: "Save Botox" }).click();
    await expect.poll(() => page.locator("#services").getByRole("status").textContent()).toBe("Saved Botox: $432.10.");
    const { items } = await server.api<{ items: { name: string; priceCents: number }[] }>("/api/services");
    expect(items.find((s) => s.name === "Botox")?.priceCents).toBe(43_210);

    await server.inboundCall(
      "dash-in-2",
      { number: "+13125550177", name: "Ana Ruiz" },
      "How much is Botox these days?",
    );
    const row = page.locator('tr[data-vendor-call="dash-in-2"]');
    await expect.poll(() => row.locator(".value").textContent()).toMatch(/\$432\.10\s*Botox/);
    await screenshot(page, "priced-call");
  });

  it("logged no errors and no Content-Security-Policy violations in the browser", () => {
    expect(consoleErrors).toEqual([]);
  });
});
