/**
 * `@voxanne/dashboard`: the clinic's dashboard as a static page over the public API and `/ws`, and
 * the Hono routes that serve it. Mount with `app.route("/", dashboardRoutes())`.
 * @module
 */

export { contentSecurityPolicy } from "./csp.ts";
export { ASSETS_PATH, DASHBOARD_DIR, dashboardRoutes } from "./routes.ts";
