/**
 * One careful HTTP GET for JSON: what polling, the catalogue and history requests share.
 *
 * Every way a request can go wrong comes back as a value (never a throw): a non-2xx status,
 * a network error, a timeout, a body over the size limit (checked before parsing), or a body
 * that is not JSON. Validation of the parsed value is the caller's, with the protocol
 * validators.
 *
 * @module
 */

import type { Clock } from "../scheduling/clock.js";
import type { FetchLike, HttpFailure } from "./types.js";

/** What every request to one server's HTTP API needs: where, for whom, and its limits. */
export interface ServerRequestOptions {
  /** The HTTP base, without a trailing slash. */
  httpUrl: string;
  source: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token: string | undefined;
  fetch: FetchLike;
  clock: Clock;
  /** Largest accepted reply body, in bytes. */
  maxBytes: number;
  /** Abort a request after this many ms. */
  timeoutMs: number;
}

/** Options of {@link getJson}. */
export interface GetJsonOptions {
  fetch: FetchLike;
  clock: Clock;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token: string | undefined;
  /** Largest accepted body, in bytes (UTF-16 length, exact for the ASCII JSON served). */
  maxBytes: number;
  /** Abort after this many ms. */
  timeoutMs: number;
  /** Aborts the request from outside (close()). */
  signal?: AbortSignal;
}

/** A parsed body, or why there is none. */
export type GetJsonResult = { ok: true; value: unknown; bytes: number } | { ok: false; failure: HttpFailure };

/**
 * GET `url` and parse its JSON body.
 *
 * @param url - absolute URL.
 * @param options - see {@link GetJsonOptions}.
 * @returns the parsed body with its size, or a failure.
 * @example
 * ```ts
 * const result = await getJson(`${httpUrl}/api/metrics`, { fetch, clock, token, maxBytes: 1 << 20, timeoutMs: 5000 });
 * if (result.ok) console.log(result.value);
 * ```
 */
export async function getJson(url: string, options: GetJsonOptions): Promise<GetJsonResult> {
  const { clock, timeoutMs, token, maxBytes } = options;
  const controller = new AbortController();
  const outer = options.signal;
  const abort = (): void => controller.abort();
  outer?.addEventListener("abort", abort);
  if (outer?.aborted === true) controller.abort();
  let timedOut = false;
  const timer = clock.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  let status: number;
  let ok: boolean;
  let text: string;
  try {
    const response = await options.fetch(url, {
      signal: controller.signal,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    status = response.status;
    ok = response.ok;
    text = await response.text();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const failure: HttpFailure = timedOut
      ? { code: "timeout", message: `no reply within ${timeoutMs} ms`, bytes: 0 }
      : { code: "network", message: `request failed: ${detail}`, bytes: 0 };
    return { ok: false, failure };
  } finally {
    clock.clearTimeout(timer);
    outer?.removeEventListener("abort", abort);
  }
  const bytes = text.length;
  if (!ok) {
    const serverCode = errorBodyCode(text);
    const failure: HttpFailure = { code: "http", status, message: `HTTP ${status}`, bytes };
    if (serverCode !== undefined) failure.serverCode = serverCode;
    return { ok: false, failure };
  }
  if (bytes > maxBytes) return { ok: false, failure: { code: "too_large", message: `body exceeds ${maxBytes} bytes`, bytes } };
  try {
    return { ok: true, value: JSON.parse(text) as unknown, bytes };
  } catch {
    return { ok: false, failure: { code: "bad_json", message: "body is not valid JSON", bytes } };
  }
}

/** Error bodies are a few hundred bytes; anything longer is not one worth parsing. */
const MAX_ERROR_BODY_CHARS = 4096;

/**
 * The code of an error body `{ "error": { "code": "too_large", ... } }`, which tells a caller
 * what to change (for example, to split a request) where the status alone cannot.
 */
function errorBodyCode(text: string): string | undefined {
  if (text.length > MAX_ERROR_BODY_CHARS) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const error = typeof body === "object" && body !== null ? (body as { error?: unknown }).error : undefined;
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}
