import { expect, test } from "vitest";
import { appFixture } from "./testKit.ts";

type Operation = {
  operationId?: string;
  parameters?: { in: string; name: string; required?: boolean; schema?: object }[];
  requestBody?: { content: Record<string, { schema?: object }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: { $ref?: string } }> }>;
  security?: unknown[];
};
type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
};

const ROUTES = [
  "get /api/analytics/dashboard-pulse",
  "get /api/analytics/recent-activity",
  "get /api/analytics/timeseries",
  "get /api/analytics/funnel",
  "get /api/analytics/services",
  "get /api/calls-dashboard",
  "get /api/calls/{id}",
  "delete /api/calls/{id}",
  "get /api/calls/{id}/recording",
  "get /api/calls/{id}/recording/file",
  "get /api/contacts",
  "get /api/contacts/{id}",
  "patch /api/contacts/{id}",
  "post /api/contacts/{id}/call-back",
  "post /api/contacts/{id}/sms",
  "get /api/services",
  "post /api/services",
  "get /api/services/{id}",
  "patch /api/services/{id}",
  "delete /api/services/{id}",
  "post /webhooks/vapi",
  "post /webhooks/twilio/status",
  "post /webhooks/twilio/inbound",
  "get /health",
];

async function document(): Promise<Doc> {
  const { app } = await appFixture();
  const res = await app.request("/openapi.json");
  expect(res.status).toBe(200);
  return JSON.parse(await res.text());
}

const operations = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );

test("an OpenAPI 3.1 document listing exactly the routes", async () => {
  const doc = await document();
  expect(doc.openapi).toBe("3.1.0");
  expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  expect(
    operations(doc)
      .map(({ method, path }) => `${method} ${path}`)
      .sort(),
  ).toEqual([...ROUTES].sort());
});

test("request schemas come from the validators: path, query and body", async () => {
  const doc = await document();
  const op = (method: string, path: string) => doc.paths[path]?.[method];
  expect(
    op("get", "/api/calls-dashboard")
      ?.parameters?.map((p) => p.name)
      .sort(),
  ).toEqual(["cursor", "direction", "from", "limit", "recordingStatus", "status", "to"].sort());
  expect(op("get", "/api/calls-dashboard")?.parameters?.find((p) => p.name === "direction")?.schema).toMatchObject({
    enum: ["inbound", "outbound"],
  });
  expect(op("post", "/api/services")?.requestBody?.content["application/json"]?.schema).toMatchObject({
    type: "object",
    required: expect.arrayContaining(["name", "priceCents", "keywords"]),
  });
  for (const [method, path] of [
    ["patch", "/api/contacts/{id}"],
    ["post", "/api/contacts/{id}/sms"],
    ["patch", "/api/services/{id}"],
  ] as const) {
    expect(op(method, path)?.requestBody?.content["application/json"]?.schema, `${method} ${path}`).toBeDefined();
  }
});

test("structurally valid: path parameters declared, unique operation ids, refs resolve, security set", async () => {
  const doc = await document();
  const text = JSON.stringify(doc);
  const ids = new Set<string>();
  for (const { path, method, op } of operations(doc)) {
    const where = `${method} ${path}`;
    expect(op.operationId, where).toEqual(expect.any(String));
    expect(ids.has(op.operationId ?? ""), where).toBe(false);
    ids.add(op.operationId ?? "");
    expect(Object.keys(op.responses).length, where).toBeGreaterThan(0);
    for (const name of path.match(/\{(\w+)\}/g) ?? []) {
      const param = op.parameters?.find((p) => p.in === "path" && `{${p.name}}` === name);
      expect(param?.required, `${where} ${name}`).toBe(true);
    }
    const isPublic = !path.startsWith("/api/") || path.endsWith("/recording/file");
    expect(op.security === undefined ? "bearer" : "none", where).toBe(isPublic ? "none" : "bearer");
  }
  for (const [, ref] of text.matchAll(/"\$ref":"#\/([^"]+)"/g)) {
    const target = (ref ?? "").split("/").reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], doc);
    expect(target, ref).toBeDefined();
  }
});

test("GET /docs serves the interactive reference over /openapi.json", async () => {
  const { app } = await appFixture();
  const res = await app.request("/docs");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/text\/html/);
  expect(await res.text()).toContain("/openapi.json");
});
