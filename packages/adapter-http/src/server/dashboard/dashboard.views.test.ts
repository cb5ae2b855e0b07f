/**
 * The dashboard's views in headless Chromium against a real server: a recording played through
 * its signed link, the charts with the time series' gaps filled, analytics endpoints missing on an
 * older server, a phone-sized screen, and the page used with the keyboard alone.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PageAudio, PageElement, PageGlobals } from "./browser.ts";
import { chromiumAvailable, launchBrowser, screenshot } from "./browser.ts";
import type { DashboardServer } from "./harness.ts";
import { startDashboardServer } from "./harness.ts";

const CALLER = { number: "+13125550142", name: "Jordan Lee" };

/** One second of 8 kHz, 8-bit mono silence as a WAV file: a recording the browser can load. */
function silentWav(): Buffer {
  const samples = 8_000;
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + samples, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8_000, 24);
  header.writeUInt32LE(8_000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write("data", 36);
  header.writeUInt32LE(samples, 40);
  return Buffer.concat([header, Buffer.alloc(samples, 128)]);
}

/** Vapi's recording storage, standing in on 127.0.0.1. */
async function recordingStorage(): Promise<{ url: string; server: Server }> {
  const wav = silentWav();
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "audio/wav", "content-length": wav.length });
    response.end(wav);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const json = (body: unknown) => ({ status: 200, contentType: "application/json", body: JSON.stringify(body) });
const notFound = {
  status: 404,
  contentType: "application/json",
  body: '{"error":{"code":"ROUTE_NOT_FOUND","message":"No such route"}}',
};

describe.skipIf(!chromiumAvailable)("dashboard views in a browser", () => {
  let server: DashboardServer;
  let browser: Browser;
  let storage: { url: string; server: Server };
  let desktop: BrowserContext;
  let page: Page;

  /** A browser context already signed in (the token in sessionStorage, as the sign-in form leaves it). */
  const signedInContext = async (options: Parameters<Browser["newContext"]>[0] = {}) => {
    const context = await browser.newContext(options);
    await context.addInitScript(
      (token) => (globalThis as unknown as PageGlobals).sessionStorage.setItem("voxanne.token", token),
      server.token,
    );
    return context;
  };

  beforeAll(async () => {
    [server, browser, storage] = await Promise.all([startDashboardServer(), launchBrowser(), recordingStorage()]);
    desktop = await signedInContext({ viewport: { width: 1280, height: 900 } });
    page = await desktop.newPage();
    await page.goto(server.url);
    await page.getByRole("status", { name: "Live updates: Live" }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise((resolve) => storage?.server.close(resolve));
  });

  it("plays a call's recording through the signed link the API redirects to", async () => {
    await server.inboundCall("views-in-1", CALLER, "Do you do fillers?", `${storage.url}/rec-views-in-1.wav`);
    const row = page.locator('tr[data-vendor-call="views-in-1"]');
    const play = row.getByRole("button", { name: `Play the recording of the call with ${CALLER.number}` });
    await play.waitFor({ timeout: 15_000 }); // the recording is copied in the background, then the row updates live
    await play.click();
    const audio = row.locator("audio");
    await audio.waitFor();
    expect(await audio.getAttribute("src")).toMatch(/\/api\/calls\/[^/]+\/recording\/file\?.*sig=/);
    const seconds = await audio.evaluate((node) => {
      const element = node as unknown as PageAudio;
      return new Promise<number>((resolve, reject) => {
        if (element.readyState >= 1) return resolve(element.duration);
        element.addEventListener("loadedmetadata", () => resolve(element.duration), { once: true });
        element.addEventListener("error", () => reject(new Error(`audio error ${element.error?.code}`)), {
          once: true,
        });
      });
    });
    expect(seconds).toBeCloseTo(1, 1);
  });

  it("charts the time series with every empty bucket filled, and shows the funnel and value per service", async () => {
    const today = new Date().toISOString().slice(0, 10);
    await page.route("**/api/analytics/timeseries?*", (route) =>
      route.fulfill(
        json({
          interval: "day",
          timeZone: "UTC",
          points: [
            {
              start: today,
              totalCalls: 3,
              inboundCalls: 3,
              bookings: 1,
              successRate: 33.3,
              pipelineValueCents: 1_234_500,
            },
          ],
        }),
      ),
    );
    await page.route("**/api/analytics/funnel?*", (route) =>
      route.fulfill(
        json({
          stages: [
            { stage: "new", count: 7 },
            { stage: "contacted", count: 4 },
            { stage: "booked", count: 2 },
            { stage: "converted", count: 1 },
          ],
        }),
      ),
    );
    await page.route("**/api/analytics/services?*", (route) =>
      route.fulfill(
        json({ items: [{ serviceId: "s1", name: "Facelift", bookings: 2, calls: 5, pipelineValueCents: 1_600_000 }] }),
      ),
    );
    try {
      await page.reload();
      const pulse = page.locator("#pulse");
      await pulse.locator("figure canvas").first().waitFor();
      expect(await pulse.locator("figure").count()).toBe(3);
      const rows = pulse.locator("figure", { hasText: "Calls and bookings" }).locator("details tbody tr");
      expect(await rows.count()).toBe(30); // one per day of the window, though the API sent one point
      expect(await rows.last().textContent()).toBe(`${today}31`);
      expect(await rows.first().textContent()).toMatch(/00$/);
      expect(
        await pulse.locator("figure", { hasText: "Pipeline value" }).locator("details tbody tr").last().textContent(),
      ).toMatch("$12,345.00");
      expect(await pulse.getByRole("meter", { name: "Contacted leads" }).getAttribute("value")).toBe("4");
      expect(await pulse.getByRole("row", { name: /Facelift/ }).textContent()).toMatch(/Facelift52\$16,000\.00/);
      await screenshot(page, "charts");
    } finally {
      await page.unrouteAll();
    }
  });

  it("says so when the analytics endpoints are not on the server, and shows the rest", async () => {
    for (const path of ["timeseries", "funnel", "services"]) {
      await page.route(`**/api/analytics/${path}?*`, (route) => route.fulfill(notFound));
    }
    try {
      await page.reload();
      const pulse = page.locator("#pulse");
      await pulse.getByText("Trends are not available on this server yet.").waitFor();
      await pulse.getByText("Funnel figures are not available on this server yet.").waitFor();
      await pulse.getByText("Figures per service are not available on this server yet.").waitFor();
      expect(Number(await pulse.locator('[data-metric="volume"] .figure').textContent())).toBeGreaterThanOrEqual(1);
      expect(await pulse.getByRole("alert").count()).toBe(0);
    } finally {
      await page.unrouteAll();
    }
  });

  it("filters leads by status and temperature", async () => {
    const leads = page.locator("#leads");
    await leads.locator("tbody tr").first().waitFor();
    await leads.getByLabel("Status").selectOption("booked");
    await leads.getByText("No leads to show.").waitFor();
    await leads.getByLabel("Status").selectOption("lost"); // an inbound call that ended without a booking
    await leads.getByRole("row", { name: new RegExp(CALLER.name) }).waitFor();
    await leads.getByLabel("Temperature").selectOption("hot");
    await leads.getByText("No leads to show.").waitFor();
    await leads.getByLabel("Temperature").selectOption("cold");
    await leads.getByRole("row", { name: new RegExp(CALLER.name) }).waitFor();
    expect(await leads.locator("tbody tr").count()).toBe(1);
    await leads.getByLabel("Status").selectOption("");
    await leads.getByLabel("Temperature").selectOption("");
  });

  it("adds a service to the price list and deletes it after a confirmation", async () => {
    const services = page.locator("#services");
    const form = services.locator("form.service-add");
    await form.getByLabel("Name").fill("Laser Hair Removal");
    await form.getByLabel("Price").fill("250");
    await form.getByLabel("Keywords").fill("laser, hair removal");
    await form.getByRole("button", { name: "Add service" }).click();
    await expect.poll(() => services.getByRole("status").textContent()).toBe("Added Laser Hair Removal at $250.00.");
    const added = await server.api<{ items: { name: string; priceCents: number; keywords: string[] }[] }>(
      "/api/services",
    );
    expect(added.items.find((s) => s.name === "Laser Hair Removal")).toMatchObject({
      priceCents: 25_000,
      keywords: ["laser", "hair removal"],
    });

    await services.getByRole("button", { name: "Delete Laser Hair Removal" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete this service?" });
    await dialog.getByRole("button", { name: "Delete Laser Hair Removal" }).click();
    await expect.poll(() => services.getByRole("status").textContent()).toBe("Deleted Laser Hair Removal.");
    expect(await services.getByRole("group", { name: "Laser Hair Removal" }).count()).toBe(0);
    const left = await server.api<{ items: { name: string }[] }>("/api/services");
    expect(left.items.map((s) => s.name)).not.toContain("Laser Hair Removal");
  });

  it("fits a phone-sized screen: no sideways scrolling, tables as labelled cards", async () => {
    const phone = await signedInContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      const small = await phone.newPage();
      await small.goto(server.url);
      await small.locator("#leads tbody tr").first().waitFor();
      await small.locator("#calls tbody tr").first().waitFor();
      const overflow = await small.evaluate(() => {
        const page = globalThis as unknown as PageGlobals;
        return page.document.documentElement.scrollWidth - page.innerWidth;
      });
      expect(overflow).toBeLessThanOrEqual(0);
      const label = await small
        .locator('#calls tbody td[data-label="Value"]')
        .first()
        .evaluate(
          (cell) =>
            (globalThis as unknown as PageGlobals).getComputedStyle(cell as unknown as PageElement, "::before").content,
        );
      expect(label).toBe('"Value"');
      const callBack = small.getByRole("button", { name: `Call back ${CALLER.name}` });
      expect((await callBack.boundingBox())?.height).toBeGreaterThanOrEqual(40); // a thumb-sized target
      await screenshot(small, "phone");
    } finally {
      await phone.close();
    }
  });

  it("works with the keyboard alone: skip link, visible focus, a dialog opened and closed, sign-out", async () => {
    await page.reload();
    await page.locator("#leads tbody tr").first().waitFor();
    await page.keyboard.press("Tab");
    const focused = () =>
      page.evaluate(() => {
        const page = globalThis as unknown as PageGlobals;
        const element = page.document.activeElement as PageElement;
        const style = page.getComputedStyle(element);
        return {
          name: element.getAttribute("aria-label") ?? element.textContent?.trim() ?? "",
          id: element.id,
          outline: `${style.outlineStyle} ${style.outlineWidth}`,
          inDialog: Boolean(element.closest("dialog")),
        };
      });
    expect(await focused()).toMatchObject({ name: "Skip to content", outline: "solid 3px" });
    await page.keyboard.press("Enter");
    expect((await focused()).id).toBe("main");

    let found = false;
    for (let presses = 0; presses < 80 && !found; presses++) {
      await page.keyboard.press("Tab");
      found = (await focused()).name === `Call back ${CALLER.name}`;
    }
    expect(found).toBe(true);
    expect((await focused()).outline).toBe("solid 3px");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Call back?" });
    await dialog.waitFor();
    expect((await focused()).inDialog).toBe(true);
    await screenshot(page, "keyboard-dialog");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect((await focused()).name).toBe(`Call back ${CALLER.name}`); // focus goes back where it was

    await page.getByRole("button", { name: "Sign out" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getByRole("status").textContent()).toBe("You have signed out.");
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.getItem("voxanne.token")),
    ).toBeNull();
  });
});
