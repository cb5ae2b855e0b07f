import { createHash } from "node:crypto";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { importMapOf } from "./csp.ts";
import { dashboardRoutes } from "./routes.ts";

/** The routes mounted as a server mounts them, beside an API route they must leave alone. */
const app = new Hono()
  .get("/api/ping", (c) => c.json({ pong: true }))
  .route("/", dashboardRoutes())
  .notFound((c) => c.json({ error: "none" }, 404));

describe("dashboardRoutes", () => {
  it("serves the page with a policy that allows exactly its import map and no other inline script", async () => {
    const response = await app.request("/");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    const hash = createHash("sha256").update(importMapOf(html)).digest("base64");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    // Every module the import map names is served as JavaScript.
    const imports = Object.values((JSON.parse(importMapOf(html)) as { imports: Record<string, string> }).imports);
    expect(imports.length).toBeGreaterThanOrEqual(4);
    for (const path of imports) {
      const module = await app.request(path);
      expect(module.status, path).toBe(200);
      expect(module.headers.get("content-type"), path).toMatch(/javascript/);
    }
  });

  it("serves the page's own modules and styles under /dashboard/", async () => {
    const main = await app.request("/dashboard/main.js");
    expect(main.status).toBe(200);
    expect(await main.text()).toContain('from "preact"');
    expect((await app.request("/dashboard/styles.css")).headers.get("content-type")).toMatch(/^text\/css/);
    expect((await app.request("/dashboard/vendor/uplot.css")).status).toBe(200);
  });

  it("leaves other paths to the app, and serves nothing outside its folder", async () => {
    expect(await (await app.request("/api/ping")).json()).toEqual({ pong: true });
    expect((await app.request("/dashboard/nope.js")).status).toBe(404);
    expect((await app.request("/dashboard/../package.json")).status).toBe(404);
    expect((await app.request("/dashboard/%2e%2e/package.json")).status).toBe(404);
    expect((await app.request("/dashboard/index.html")).status).toBe(404); // only `/` serves the page, with its policy
    expect((await app.request("/", { method: "POST" })).status).toBe(404);
  });
});
