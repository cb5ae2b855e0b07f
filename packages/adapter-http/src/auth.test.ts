import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, describe, expect, test } from "vitest";
import { jwtAuth, mintToken } from "./auth.ts";
import { badTokens, JWT_SECRET } from "./testKit.ts";

const secret = JWT_SECRET;
describe("jwtAuth with an HS256 secret", () => {
  const auth = jwtAuth({ secret });

  test("a minted token speaks for its organization", async () => {
    expect(await auth.verify(await mintToken({ secret }, "org-1"))).toEqual({ orgId: "org-1" });
  });

  test.each(["expired", "wrong key", "alg none", "garbage"])("refuses a token: %s", async (kind) => {
    const tokens = await badTokens("org-1");
    await expect(auth.verify(tokens[kind] ?? "")).rejects.toThrow(/bearer token/);
  });

  test("refuses a token without expiry or without the organization claim", async () => {
    const key = new TextEncoder().encode(secret);
    const noExp = await new SignJWT({ org_id: "org-1" }).setProtectedHeader({ alg: "HS256" }).sign(key);
    await expect(auth.verify(noExp)).rejects.toThrow();
    await expect(auth.verify(await mintToken({ secret, orgClaim: "tenant" }, "org-1"))).rejects.toThrow();
  });

  test("reads a configured claim, issuer and audience", async () => {
    const config = { secret, orgClaim: "tenant", issuer: "https://idp.example", audience: "voxanne" };
    const custom = jwtAuth(config);
    expect(await custom.verify(await mintToken(config, "org-2"))).toEqual({ orgId: "org-2" });
    await expect(custom.verify(await mintToken({ ...config, audience: "other" }, "org-2"))).rejects.toThrow();
  });

  test("refuses a short secret up front", () => {
    expect(() => jwtAuth({ secret: "short" })).toThrow(/32 characters/);
    expect(() => jwtAuth({})).toThrow(/secret or a jwksUrl/);
  });
});

describe("jwtAuth with a JWKS URL", async () => {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" };
  const server = createServer((_, res) =>
    res.setHeader("content-type", "application/json").end(JSON.stringify({ keys: [jwk] })),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const auth = jwtAuth({ jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json` });
  const sign = (payload: Record<string, unknown>) =>
    new SignJWT(payload).setProtectedHeader({ alg: "ES256", kid: "k1" }).setExpirationTime("5m").sign(privateKey);

  test("accepts a token signed by a published key", async () => {
    expect(await auth.verify(await sign({ org_id: "org-3" }))).toEqual({ orgId: "org-3" });
  });

  test("refuses an HS256 token even when signed with something", async () => {
    await expect(auth.verify(await mintToken({ secret }, "org-3"))).rejects.toThrow();
  });
});
