import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jwtAuth } from "../auth.ts";
import { parseWebhookAuth, runCli } from "./cli.ts";

const JWT_SECRET = "cli-test-secret-0123456789abcdefghijklmnop";

describe("the operator CLI on a PGlite folder", () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "voxanne-cli-"));
    env = { PGLITE_DIR: join(dir, "pgdata"), RECORDINGS_DIR: join(dir, "recordings"), JWT_SECRET };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Runs one command; what it printed on stdout and stderr. */
  async function voxanne(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(["node", "voxanne", ...args], { env, out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it("migrates, creates an org (printing its id) and mints a token the server accepts", async () => {
    expect(await voxanne("migrate")).toMatchObject({ code: 0, err: expect.stringContaining("Migrations applied") });

    const created = await voxanne(
      ...["org", "create", "--name", "Harbor Dental", "--timezone", "Europe/London"],
      ...["--assistant-id", "asst-1", "--assistant-id", "asst-2", "--phone-number-id", "pn-1"],
      ...[
        "--sms-from",
        "+12025550143",
        "--alert-number",
        "+13125550199",
        "--webhook-auth",
        "bearer:token-0123456789abcdef",
      ],
    );
    expect(created.code).toBe(0);
    const orgId = created.out.trim();
    expect(orgId).toMatch(/^[0-9a-f-]{36}$/);

    const token = await voxanne("token", "--org", orgId, "--ttl", "600");
    expect(token.code).toBe(0);
    await expect(jwtAuth({ secret: JWT_SECRET }).verify(token.out.trim())).resolves.toEqual({ orgId });

    expect(await voxanne("replay")).toMatchObject({ code: 0, err: "Replayed 0 events" });
  });

  it("refuses a token for an unknown org, and bad arguments, with a non-zero exit", async () => {
    const unknown = await voxanne("token", "--org", "00000000-0000-4000-8000-000000000000");
    expect(unknown.code).toBe(1);
    expect(unknown.out).toBe("");
    expect((await voxanne("org", "create")).code).not.toBe(0);
    expect((await voxanne("org", "create", "--name", "X", "--webhook-auth", "basic:x")).code).not.toBe(0);
  });

  it("names a bad variable", async () => {
    const bad = await runCli(["node", "voxanne", "migrate"], { env: { PORT: "nope" }, err: () => {} });
    expect(bad).toBe(1);
  });
});

describe("parseWebhookAuth", () => {
  it("reads each scheme", () => {
    expect(parseWebhookAuth("bearer:a:b")).toEqual({ type: "bearer", token: "a:b" });
    expect(parseWebhookAuth("secret:s")).toEqual({ type: "secretHeader", secret: "s" });
    expect(parseWebhookAuth("hmac:h")).toEqual({ type: "hmac", secret: "h" });
    expect(parseWebhookAuth("none")).toEqual({ type: "none" });
    expect(() => parseWebhookAuth("bearer:")).toThrow(/expected/);
  });
});
