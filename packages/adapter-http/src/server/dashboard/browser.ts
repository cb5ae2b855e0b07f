/**
 * Headless Chromium for the dashboard's browser tests: Debian's `chromium` driven by playwright-core
 * (no browser download). A local run without it skips with a message; CI fails, since `.ci/run`
 * installs it.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const chromiumAvailable = existsSync(CHROMIUM_PATH);
if (!chromiumAvailable) {
  if (process.env.CI)
    throw new Error(`Chromium is required in CI for the dashboard tests (${CHROMIUM_PATH} is missing)`);
  console.warn(`Skipping the dashboard browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
}

/** Quiet on a closed network: nothing phones home, nothing waits on a GPU or /dev/shm. */
const ARGS = [
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });

/** Screenshots are test artefacts (git-ignored): `packages/adapter-http/.artifacts/dashboard/`. */
export const ARTIFACTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../.artifacts/dashboard");

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

/**
 * The parts of the page that `page.evaluate` callbacks use: the repository's TypeScript has no DOM
 * types. Cast `globalThis` to it inside a callback; the cast is erased, so the browser runs the code as written.
 */
export interface PageGlobals {
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  innerWidth: number;
  document: { documentElement: { scrollWidth: number }; activeElement: PageElement | null };
  getComputedStyle(
    element: PageElement,
    pseudo?: string,
  ): { content: string; outlineStyle: string; outlineWidth: string };
}

export interface PageElement {
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  closest(selector: string): unknown;
}

export interface PageAudio {
  readyState: number;
  duration: number;
  error: { code: number } | null;
  addEventListener(type: string, listener: () => void, options?: { once: boolean }): void;
}
