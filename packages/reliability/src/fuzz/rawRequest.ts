/**
 * One HTTP request as bytes, over node:http (fetch would refuse or repair much of what a fuzzer
 * sends: bad header values, lone surrogates, a Content-Length that lies). Each request leaves from
 * another loopback address (127.0.x.y), so the server's per-address rate limit, which is not what
 * is being tested here, does not turn the fuzzing into a run of 429s.
 */
import { request } from "node:http";

export interface RawRequest {
  method: string;
  /** Path and query, sent as given. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Send the body chunked, without Content-Length (the server must count it as it arrives). */
  chunked?: boolean;
}

export interface RawResponse {
  status: number;
  body: string;
}

let nextAddress = 0;
const sourceAddress = () => {
  nextAddress = (nextAddress + 1) % 60_000;
  return `127.0.${Math.floor(nextAddress / 250)}.${(nextAddress % 250) + 2}`;
};

export function rawRequest(baseUrl: string, raw: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const body = raw.body === undefined ? undefined : Buffer.from(raw.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port: Number(port),
        method: raw.method,
        path: raw.path,
        localAddress: sourceAddress(),
        headers: {
          connection: "close",
          ...raw.headers,
          ...(body && !raw.chunked && { "content-length": String(body.byteLength) }),
          // Node frames a body without Content-Length as chunked only for some methods; a DELETE's
          // bytes would follow unframed and read as a second, malformed request.
          ...(body && raw.chunked && { "transfer-encoding": "chunked" }),
        },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer in 30 s: ${raw.method} ${raw.path}`)));
    // A server that answers 413 before reading the whole body may close while we still write.
    req.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "EPIPE" || error.code === "ECONNRESET"
        ? resolve({ status: 0, body: String(error.code) })
        : reject(error),
    );
    if (body) req.end(body);
    else req.end();
  });
}
