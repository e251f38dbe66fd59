/**
 * Small HTTP helpers: JSON replies with the headers every endpoint shares, and query
 * parameter parsing that turns bad input into a 400 with a code and a sentence.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ErrorCode } from "@pulseboard/protocol";

/** Error codes of HTTP error bodies: the protocol's, plus routing ones. */
export type HttpErrorCode = ErrorCode | "not_found" | "method_not_allowed" | "upgrade_refused";

/** A request that cannot be served; the router turns it into `{ error: { code, message } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Headers of every JSON reply. */
export function jsonHeaders(req: IncomingMessage, allowedOrigins: readonly string[] | undefined): Record<string, string> {
  const origin = req.headers.origin;
  // With an allow-list, echo the (allowed) origin; without one, any page may read the API.
  const allowOrigin = allowedOrigins ? (origin && allowedOrigins.includes(origin) ? origin : "null") : "*";
  return {
    "Content-Type": "application/json; charset=utf-8",
    // Every reply describes the live stream at one instant: never cache it.
    "Cache-Control": "no-store",
    "Access-Control-Allow-Origin": allowOrigin,
    Vary: "Origin",
  };
}

/** Writes a JSON reply (a pre-serialized string, or a value to serialize), after `delayMs`. */
export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string | object,
  options: { allowedOrigins: readonly string[] | undefined; delayMs: number; headers?: Record<string, string> },
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const write = () => {
    if (res.destroyed || res.headersSent) return;
    res.writeHead(status, { ...jsonHeaders(req, options.allowedOrigins), ...options.headers, "Content-Length": Buffer.byteLength(text) });
    res.end(req.method === "HEAD" ? undefined : text);
  };
  if (options.delayMs > 0) setTimeout(write, options.delayMs).unref();
  else write();
}

/** An optional integer query parameter within [min, max]; throws a 400 HttpError otherwise. */
export function intParam(url: URL, name: string, min: number, max: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return undefined;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new HttpError(400, "bad_message", `"${name}" must be an integer from ${min} to ${max}, got ${JSON.stringify(raw.slice(0, 40))}`);
  }
  return value;
}

/** An optional boolean query parameter: 1/0/true/false. */
export function boolParam(url: URL, name: string, fallback: boolean): boolean {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  if (raw === "1" || raw === "true") return true;
  if (raw === "0" || raw === "false") return false;
  throw new HttpError(400, "bad_message", `"${name}" must be 1, 0, true or false`);
}

/** Reads a small request body; rejects with a 413 HttpError beyond `maxBytes`. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop buffering but keep draining, so that the 413 reply can still be written.
        req.off("data", onData);
        req.resume();
        reject(new HttpError(413, "too_large", `body exceeds ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
