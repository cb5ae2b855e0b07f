/**
 * The Hono routes that serve the dashboard: the page at `/` (with its Content-Security-Policy) and
 * its static assets under `/dashboard/`: the page's modules (`public/app/`) and the vendor libraries.
 * Everything else falls through to the app the routes are mounted in.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { contentSecurityPolicy, importMapOf } from "./csp.ts";
import { VENDOR_FILES } from "./vendor.ts";

/** The folder of the page's own files: `index.html`, and `app/` (its modules and styles). */
export const DASHBOARD_DIR = fileURLToPath(new URL("../public/", import.meta.url));
const APP_DIR = `${DASHBOARD_DIR}app`;

/** Where the assets live in URL space: clear of /api, /ws, /webhooks, /docs, /openapi.json and /health. */
export const ASSETS_PATH = "/dashboard";

/** Assets change with a deploy, not per user: the browser revalidates (Last-Modified) instead of guessing. */
const REVALIDATE = "no-cache";

/**
 * @example
 * app.route("/", dashboardRoutes()); // then http://localhost:3000/ is the dashboard
 */
export function dashboardRoutes(): Hono {
  const html = readFileSync(`${DASHBOARD_DIR}index.html`, "utf8");
  const csp = contentSecurityPolicy(importMapOf(html));
  const routes = new Hono();

  routes.get("/", (c) => {
    c.header("Content-Security-Policy", csp);
    c.header("Cache-Control", REVALIDATE);
    return c.html(html);
  });
  for (const [name, path] of Object.entries(VENDOR_FILES)) {
    routes.get(`${ASSETS_PATH}/vendor/${name}`, serveStatic({ path, onFound: (_path, c) => revalidate(c) }));
  }
  routes.get(
    `${ASSETS_PATH}/*`,
    serveStatic({
      root: APP_DIR,
      rewriteRequestPath: (path) => path.slice(ASSETS_PATH.length),
      onFound: (_path, c) => revalidate(c),
    }),
  );
  return routes;
}

const revalidate = (c: { header(name: string, value: string): void }) => c.header("Cache-Control", REVALIDATE);
