/**
 * `GET /api/calls/:id/recording/file`: plays a stored recording to whoever holds a signed link.
 * A browser's `<audio src>` sends no Authorization header, so the signature is the only auth here.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { Readable } from "node:stream";
import type { Voxanne } from "@voxanne/core";
import { NotFound } from "@voxanne/core";
import { Hono } from "hono";
import { documented } from "../openapi.ts";
import { IdParam, input, RecordingLinkQuery } from "../schemas.ts";
import { recordingsNotConfigured } from "./calls.ts";

export interface RecordingFiles {
  /** Signs and checks recording links (at least 32 characters). */
  linkSecret: string;
  /** The local file holding a stored recording, from its `recordingLocation`. */
  fileOf(location: string): string;
}

const CONTENT_TYPES: Record<string, string> = {
  ".mp3": "audio/mpeg",
  ".wav": "audio/wav",
  ".ogg": "audio/ogg",
  ".m4a": "audio/mp4",
  ".webm": "audio/webm",
};

/** The file's size, or `NotFound` when the store lost it (never the path in the message). */
async function sizeOf(file: string, callId: string): Promise<number> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new NotFound("recording", callId);
  return info.size;
}

export const recordingFileRoutes = (voxanne: Voxanne, recordings: RecordingFiles | undefined): Hono =>
  new Hono().get(
    "/calls/:id/recording/file",
    documented({
      tag: "Calls",
      summary: "Stream a recording through a signed link (no bearer token)",
      public: true,
      responses: { 200: "The audio file" },
      errors: { 403: "Forged or altered link", 404: "No such recording", 410: "The link has expired" },
    }),
    input("param", IdParam),
    input("query", RecordingLinkQuery),
    async (c) => {
      if (!recordings) throw recordingsNotConfigured();
      const callId = c.req.valid("param").id;
      const { org, expires, sig } = c.req.valid("query");
      const { location } = await voxanne.recordings.verifyLink(
        { orgId: org, callId, expires: expires ?? "", sig: sig ?? "" },
        recordings.linkSecret,
      );
      const file = recordings.fileOf(location);
      const size = await sizeOf(file, callId);
      const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
      return c.body(body, 200, {
        "Content-Type": CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
        "Content-Length": String(size),
        "Cache-Control": "private, no-store",
      });
    },
  );
