/**
 * The OpenAPI 3.1 document and its interactive reference. Routes describe themselves with
 * `documented(...)`; request schemas come from the `input(...)` validators on the same routes.
 */
import { Scalar } from "@scalar/hono-api-reference";
import type { Hono, MiddlewareHandler } from "hono";
import { describeRoute, openAPIRouteHandler } from "hono-openapi";

type Documentation = NonNullable<NonNullable<Parameters<typeof openAPIRouteHandler>[1]>["documentation"]>;
type SchemaObject = NonNullable<NonNullable<Documentation["components"]>["schemas"]>[string];

/** The `{ error: { code, message, issues? } }` body of every failure (see httpErrors.ts). */
const ERROR_SCHEMA: SchemaObject = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        issues: {
          type: "array",
          items: {
            type: "object",
            required: ["path", "message"],
            properties: { path: { type: "string" }, message: { type: "string" } },
          },
        },
      },
    },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/** Failures every authenticated route can answer with. */
const API_ERRORS = {
  400: errorResponse("A field is invalid; `issues` names it"),
  401: errorResponse("Missing, malformed or expired bearer token"),
  404: errorResponse("No such record in the caller's organization"),
  429: errorResponse("Rate limited; see Retry-After"),
};

export interface RouteDoc {
  summary: string;
  tag: string;
  /** Success responses by status, with a short description. */
  responses: Record<number, string>;
  /** Extra failure responses by status. */
  errors?: Record<number, string>;
  /** Routes outside the bearer scheme (webhooks, health, signed links). */
  public?: boolean;
}

/** Describes one route for the OpenAPI document, with the shared error responses and security. */
export function documented(doc: RouteDoc): MiddlewareHandler {
  const successes = Object.fromEntries(Object.entries(doc.responses).map(([s, description]) => [s, { description }]));
  const errors = Object.fromEntries(Object.entries(doc.errors ?? {}).map(([s, d]) => [s, errorResponse(d)]));
  return describeRoute({
    summary: doc.summary,
    tags: [doc.tag],
    ...(doc.public ? { security: [] } : {}),
    responses: { ...(doc.public ? {} : API_ERRORS), ...errors, ...successes },
  });
}

/** `GET /openapi.json` over every documented route of `app`. */
export const openApiDocument = (app: Hono): MiddlewareHandler =>
  openAPIRouteHandler(app, {
    documentation: {
      openapi: "3.1.0",
      info: {
        title: "Voxanne API",
        version: "0.1.0",
        description: "A clinic's voice-AI receptionist: calls, leads, services and metrics. JSON in camelCase.",
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
        schemas: { Error: ERROR_SCHEMA },
      },
      security: [{ bearer: [] }],
    },
    exclude: ["/openapi.json", "/docs"],
    defaultValidationErrorResponse: errorResponse("A field is invalid; `issues` names it"),
  });

/** `GET /docs`: the interactive reference over `/openapi.json`. */
export const apiReference = (): MiddlewareHandler => Scalar({ url: "/openapi.json", pageTitle: "Voxanne API" });
