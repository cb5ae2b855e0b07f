/**
 * The RecordingStore port on the local filesystem: downloads a call's recording from Vapi's
 * storage and keeps a copy under `dir/<orgId>/<callId><ext>`, written atomically.
 */
import { randomUUID } from "node:crypto";
import { mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { extname, isAbsolute, join, relative, resolve } from "node:path";
import type { RecordingStore } from "@voxanne/core";
import { ValidationFailed, VendorFailed } from "@voxanne/core";
import { RequestTimedOut, withTimeout } from "./outboundHttp.ts";

export interface FilesystemRecordingsOptions {
  /** The folder recordings are kept in; created when missing. */
  dir: string;
  fetch?: typeof fetch;
  /** For the whole download, first byte to last. Default 2 min. */
  timeoutMs?: number;
  /** Larger recordings are refused (not retryable). Default 512 MiB. */
  maxBytes?: number;
}

/** A RecordingStore whose locations are paths relative to `dir`, e.g. `org-1/call-1.wav`. */
export interface FilesystemRecordings extends RecordingStore {
  readonly dir: string;
  /** The absolute path of a stored location, refusing any that would leave `dir` (a tampered row). */
  fileOf(location: string): string;
}

/** Extensions kept from the source URL (or its content type); anything else is stored as `.bin`. */
const AUDIO_TYPES: Record<string, string> = {
  ".wav": "audio/wav",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
  ".opus": "audio/opus",
  ".webm": "audio/webm",
  ".m4a": "audio/mp4",
  ".flac": "audio/flac",
};
const FALLBACK_EXT = ".bin";
const KNOWN_EXTS = [...Object.keys(AUDIO_TYPES), FALLBACK_EXT];

const failure = {
  /** The source answered 4xx (gone, expired link, forbidden) or is no recording URL: trying again will not help. */
  rejected: (why: string, cause?: Error) =>
    new VendorFailed("RECORDING_REJECTED", `The recording could not be fetched: ${why}`, { retryable: false, cause }),
  unavailable: (why: string, cause?: Error) =>
    new VendorFailed("RECORDING_UNAVAILABLE", `The recording could not be fetched: ${why}`, { retryable: true, cause }),
  tooLarge: (maxBytes: number) =>
    new VendorFailed("RECORDING_TOO_LARGE", `The recording is larger than ${maxBytes} bytes`, { retryable: false }),
};

/**
 * A path segment for an id: letters, digits, `-` and `_` kept, every other byte written `%XX`,
 * so distinct ids stay distinct and none can be `..`, hold a separator, or start with a dot.
 */
export function safeSegment(id: string, field: string): string {
  if (id.length === 0 || id.length > 100) {
    throw new ValidationFailed([{ path: field, message: "must be 1 to 100 characters" }]);
  }
  return Array.from(new TextEncoder().encode(id), (byte) => {
    const char = String.fromCharCode(byte);
    return /[A-Za-z0-9_-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }).join("");
}

/** The extension to store under: the source URL's when it is a known audio one, else the content type's. */
function extensionOf(url: URL, contentType: string | null): string {
  const fromUrl = extname(url.pathname).toLowerCase();
  if (fromUrl in AUDIO_TYPES) return fromUrl;
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  return Object.entries(AUDIO_TYPES).find(([, known]) => known === type)?.[0] ?? FALLBACK_EXT;
}

/** `sourceUrl` as an http(s) URL, or a not-retryable failure. */
function sourceOf(sourceUrl: string): URL {
  let url: URL;
  try {
    url = new URL(sourceUrl);
  } catch {
    throw failure.rejected("the source is not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw failure.rejected("the source is not an http(s) URL");
  return url;
}

/**
 * Keeps recordings on disk. `save` streams the download into a temporary file beside the target,
 * syncs it, then renames it over `<callId><ext>`: readers see the old copy or the new one, never a
 * partial file; saving the same (org, call) again replaces it and returns the same location (a
 * copy under another extension is removed). Failures: 4xx → `RECORDING_REJECTED` (408 and 429 are
 * retryable `RECORDING_UNAVAILABLE`, like 5xx, network errors and time-outs); over `maxBytes` →
 * `RECORDING_TOO_LARGE`, not retryable.
 *
 * @example
 * const recordings = filesystemRecordings({ dir: "./.voxanne/recordings" });
 * const voxanne = createVoxanne({ storage, telephony, sms, live, recordings });
 */
export function filesystemRecordings(options: FilesystemRecordingsOptions): FilesystemRecordings {
  if (!options.dir?.trim()) throw new TypeError("filesystemRecordings: dir is required");
  const dir = resolve(options.dir);
  const fetchFn = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const maxBytes = options.maxBytes ?? 512 * 1024 * 1024;

  /** Downloads `url` into `path` (created, never an existing file); returns the extension to keep it under. */
  async function download(url: URL, path: string): Promise<string> {
    return withTimeout(timeoutMs, async (signal) => {
      const response = await fetchFn(url, { signal, redirect: "follow" });
      if (!response.ok) {
        await response.body?.cancel();
        const why = `the source answered ${response.status}`;
        const transient = response.status >= 500 || response.status === 408 || response.status === 429;
        throw transient ? failure.unavailable(why) : failure.rejected(why);
      }
      if (Number(response.headers.get("content-length") ?? 0) > maxBytes) {
        await response.body?.cancel();
        throw failure.tooLarge(maxBytes);
      }
      const file = await open(path, "wx");
      try {
        let size = 0;
        for await (const chunk of response.body ?? []) {
          size += chunk.byteLength;
          if (size > maxBytes) throw failure.tooLarge(maxBytes);
          await file.write(chunk);
        }
        await file.sync();
      } finally {
        await file.close();
      }
      return extensionOf(url, response.headers.get("content-type"));
    });
  }

  return {
    dir,
    fileOf(location) {
      const path = resolve(dir, location);
      const inside = relative(dir, path);
      if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) {
        throw new ValidationFailed([{ path: "location", message: "is not a recording of this store" }]);
      }
      return path;
    },
    async save({ orgId, callId, sourceUrl }) {
      const url = sourceOf(sourceUrl);
      const orgPart = safeSegment(orgId, "orgId");
      const callPart = safeSegment(callId, "callId");
      const orgDir = join(dir, orgPart);
      await mkdir(orgDir, { recursive: true });
      // A dot-file: no id segment starts with a dot, so it never collides with a stored recording.
      const temp = join(orgDir, `.${callPart}.${randomUUID()}.part`);
      let ext: string;
      try {
        ext = await download(url, temp);
        await rename(temp, join(orgDir, `${callPart}${ext}`));
      } catch (error) {
        await rm(temp, { force: true });
        if (error instanceof VendorFailed) throw error;
        if (error instanceof RequestTimedOut) throw failure.unavailable("the source did not answer in time", error);
        if (error instanceof TypeError) throw failure.unavailable("the source could not be reached", error);
        throw error;
      }
      await removeOtherCopies(orgDir, callPart, ext);
      return { location: `${orgPart}/${callPart}${ext}` };
    },
  };
}

/** Removes copies of this call saved earlier under another extension, so one location stays. */
async function removeOtherCopies(orgDir: string, callPart: string, kept: string): Promise<void> {
  const names = new Set(await readdir(orgDir));
  for (const ext of KNOWN_EXTS) {
    if (ext !== kept && names.has(`${callPart}${ext}`)) await rm(join(orgDir, `${callPart}${ext}`), { force: true });
  }
}
