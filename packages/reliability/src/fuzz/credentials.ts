/**
 * Authorization headers a client may send: the tenants' own tokens, and forgeries that must all be
 * refused: no token, garbage, `alg: none`, the wrong key, expired, a payload swapped under a valid
 * signature, an algorithm swap, a valid signature for an org that does not exist or whose id is an
 * injection string.
 */
import { createHmac, randomUUID } from "node:crypto";
import { mintToken } from "@voxanne/adapter-http";

export type Credential = { kind: "a" | "b" | "forged" | "none"; label: string; header?: string };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const hmac = (secret: string, data: string) => createHmac("sha256", secret).update(data).digest("base64url");

export async function credentials(secret: string, a: { id: string; token: string }, b: { id: string; token: string }) {
  const exp = Math.floor(Date.now() / 1000) + 3_600;
  const [header, , signature] = a.token.split(".");
  const forged: [string, string][] = [
    ["alg none", `${b64({ alg: "none", typ: "JWT" })}.${b64({ org_id: a.id, exp })}.`],
    ["wrong key", await mintToken({ secret: "another-secret-that-is-long-enough-0123456789" }, a.id)],
    ["expired", await mintToken({ secret }, a.id, -120)],
    ["payload swapped to B", `${header}.${b64({ org_id: b.id, exp })}.${signature}`],
    [
      "alg RS256 with an HMAC",
      (() => {
        const unsigned = `${b64({ alg: "RS256", typ: "JWT" })}.${b64({ org_id: a.id, exp })}`;
        return `${unsigned}.${hmac(secret, unsigned)}`;
      })(),
    ],
    ["org that does not exist", await mintToken({ secret }, randomUUID())],
    ["org id injection", await mintToken({ secret }, "' OR '1'='1")],
    ["no org claim", await mintToken({ secret, orgClaim: "tenant" }, a.id)],
    ["truncated", a.token.slice(0, -5)],
    ["garbage", "not.a.jwt"],
  ];
  return [
    { kind: "a", label: "org A", header: `Bearer ${a.token}` },
    { kind: "b", label: "org B", header: `Bearer ${b.token}` },
    { kind: "none", label: "no header" },
    { kind: "none", label: "Basic", header: "Basic YWRtaW46YWRtaW4=" },
    { kind: "none", label: "empty Bearer", header: "Bearer " },
    ...forged.map(([label, token]): Credential => ({ kind: "forged", label, header: `Bearer ${token}` })),
  ] satisfies Credential[];
}
