/**
 * The page's Content-Security-Policy. The only inline script is the import map (browsers have no
 * external import maps yet), allowed by its SHA-256 hash rather than by 'unsafe-inline'.
 */
import { createHash } from "node:crypto";

const IMPORT_MAP = /<script type="importmap">([\s\S]*?)<\/script>/;

/** The import map's text in `html`; the page cannot load its modules without one. */
export function importMapOf(html: string): string {
  const found = IMPORT_MAP.exec(html)?.[1];
  if (found === undefined) throw new Error("@voxanne/dashboard: index.html has no import map");
  return found;
}

/** The policy for a page whose one inline script is `inlineScript`. */
export function contentSecurityPolicy(inlineScript: string): string {
  const hash = createHash("sha256").update(inlineScript, "utf8").digest("base64");
  return [
    "default-src 'none'",
    `script-src 'self' 'sha256-${hash}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    // Recordings play from signed links on this origin; the live socket is `/ws` on this origin.
    "media-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
