/**
 * Bearer JWT authentication for `/api/*`. The tenant comes from the token only (never from a path,
 * query or body), so a caller can reach no other organization's data by changing an id.
 */
import type { MiddlewareHandler } from "hono";
import type { JWTPayload } from "jose";
import { createRemoteJWKSet, jwtVerify, SignJWT } from "jose";
import { errorBody } from "./httpErrors.ts";

/** Checks a token and says which organization it speaks for; rejects (→ 401) on any doubt. */
export interface AuthVerifier {
  verify(token: string): Promise<{ orgId: string }>;
}

export interface JwtAuthConfig {
  /** HS256 shared secret (at least 32 characters). */
  secret?: string;
  /** A JWKS endpoint for asymmetric keys (RS256, ES256...), e.g. an identity provider's. */
  jwksUrl?: string;
  /** The claim naming the organization; `org_id` by default. */
  orgClaim?: string;
  issuer?: string;
  audience?: string;
}

/** Variables the app's middleware sets on the Hono context. */
export interface AppEnv {
  Variables: { orgId: string };
}

export const DEFAULT_ORG_CLAIM = "org_id";
const MIN_SECRET_LENGTH = 32;

/** Refused tokens all look the same to the client: no hint of which check failed. */
export class Unauthorized extends Error {
  constructor(options?: { cause?: unknown }) {
    super("The bearer token is missing, malformed, expired or not signed by a trusted key", options);
    this.name = "Unauthorized";
  }
}

const secretKey = (secret: string) => {
  if (secret.length < MIN_SECRET_LENGTH)
    throw new Error(`The JWT secret must be at least ${MIN_SECRET_LENGTH} characters`);
  return new TextEncoder().encode(secret);
};

/**
 * A verifier over `jose`: HS256 with `secret`, or the keys at `jwksUrl`. Tokens must carry `exp`;
 * `alg: none` and algorithms other than the configured family are refused by `jose` itself.
 *
 * @example
 * const auth = jwtAuth({ secret: process.env.JWT_SECRET });
 */
export function jwtAuth(config: JwtAuthConfig): AuthVerifier {
  const orgClaim = config.orgClaim ?? DEFAULT_ORG_CLAIM;
  const common = {
    requiredClaims: ["exp"],
    ...(config.issuer !== undefined && { issuer: config.issuer }),
    ...(config.audience !== undefined && { audience: config.audience }),
  };
  let check: (token: string) => Promise<JWTPayload>;
  if (config.secret !== undefined) {
    const key = secretKey(config.secret);
    check = async (token) => (await jwtVerify(token, key, { ...common, algorithms: ["HS256"] })).payload;
  } else if (config.jwksUrl !== undefined) {
    const keys = createRemoteJWKSet(new URL(config.jwksUrl));
    check = async (token) => (await jwtVerify(token, keys, common)).payload;
  } else {
    throw new Error("jwtAuth needs a secret or a jwksUrl");
  }
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        payload = await check(token);
      } catch (error) {
        throw new Unauthorized({ cause: error });
      }
      const orgId = payload[orgClaim];
      if (typeof orgId !== "string" || orgId === "" || orgId.length > 100) throw new Unauthorized();
      return { orgId };
    },
  };
}

/**
 * An HS256 token for `orgId`, valid `ttlSeconds` (default one hour): for the CLI and local runs.
 *
 * @example
 * const token = await mintToken({ secret }, org.id, 3600);
 */
export function mintToken(
  config: { secret: string; orgClaim?: string; issuer?: string; audience?: string },
  orgId: string,
  ttlSeconds = 3_600,
): Promise<string> {
  let jwt = new SignJWT({ [config.orgClaim ?? DEFAULT_ORG_CLAIM]: orgId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds);
  if (config.issuer !== undefined) jwt = jwt.setIssuer(config.issuer);
  if (config.audience !== undefined) jwt = jwt.setAudience(config.audience);
  return jwt.sign(secretKey(config.secret));
}

const CHALLENGE = 'Bearer realm="voxanne", error="invalid_token"';

/** Reads `Authorization: Bearer <token>`, sets `orgId`, or answers 401 with `WWW-Authenticate`. */
export function requireAuth(verifier: AuthVerifier): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const match = /^Bearer +([^\s]+)\s*$/i.exec(c.req.header("Authorization") ?? "");
    const token = match?.[1];
    const identity = token ? await verifier.verify(token).catch(() => undefined) : undefined;
    if (!identity) {
      c.header("WWW-Authenticate", token ? CHALLENGE : 'Bearer realm="voxanne"');
      return c.json(errorBody("UNAUTHORIZED", new Unauthorized().message), 401);
    }
    c.set("orgId", identity.orgId);
    await next();
  };
}
