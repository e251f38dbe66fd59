/**
 * `GET /api/snapshot`: the latest sample of every metric, for a view that should show numbers
 * before the stream's first frame arrives.
 *
 * It goes through the same careful GET as polling and history (../transports/http.ts): the
 * client's token, its request timeout, its body size cap, the protocol's validator. Every way
 * it can fail comes back as a value with a code and a sentence, never a throw.
 *
 * @module
 */

import { validateSnapshotResponse, type SnapshotResponse } from "@pulseboard/protocol";
import { getJson, type ServerRequestOptions } from "../transports/http.js";
import type { HttpFailure } from "../transports/types.js";

/** Why {@link WebSocketManager.snapshot} has no snapshot: the request's failure, or `aborted`. */
export type SnapshotFailureCode = HttpFailure["code"] | "aborted";

/** What {@link WebSocketManager.snapshot} resolves to. */
export type SnapshotResult =
  | { ok: true; snapshot: SnapshotResponse }
  | {
      ok: false;
      code: SnapshotFailureCode;
      /** HTTP status, for `code: "http"` (401 when the token is missing or wrong). */
      status?: number;
      message: string;
    };

/** Options of {@link WebSocketManager.snapshot}. */
export interface SnapshotOptions {
  /** Aborts the request (`close()` aborts it too). */
  signal?: AbortSignal;
}


/**
 * Fetch and validate one snapshot.
 *
 * @param options - see {@link ServerRequestOptions}.
 * @param signal - aborts the request.
 * @returns the snapshot, or a failure with a code and a sentence.
 */
export async function requestSnapshot(options: ServerRequestOptions, signal: AbortSignal): Promise<SnapshotResult> {
  const { httpUrl, source, token, fetch, clock, maxBytes, timeoutMs } = options;
  const url = `${httpUrl}/api/snapshot?${new URLSearchParams({ source }).toString()}`;
  const result = await getJson(url, { fetch, clock, token, maxBytes, timeoutMs, signal });
  if (signal.aborted) return { ok: false, code: "aborted", message: "snapshot request aborted" };
  if (!result.ok) {
    const { code, status, serverCode, message } = result.failure;
    const detail = serverCode === undefined ? message : `${message} ${serverCode}`;
    return status === undefined ? { ok: false, code, message: `snapshot: ${detail}` } : { ok: false, code, status, message: `snapshot: ${detail}` };
  }
  const checked = validateSnapshotResponse(result.value);
  if (!checked.ok) return { ok: false, code: checked.code, message: `invalid snapshot: ${checked.message}` };
  return { ok: true, snapshot: checked.value };
}

/**
 * The manager's snapshot requests: each linked to the caller's signal, all aborted by
 * {@link SnapshotClient.abortAll} (the manager's `close()`).
 */
export class SnapshotClient {
  private readonly options: ServerRequestOptions;
  private readonly inFlight = new Set<AbortController>();

  /** @param options - the server's HTTP API and the client's request limits. */
  constructor(options: ServerRequestOptions) {
    this.options = options;
  }

  /**
   * @param signal - the caller's signal, if any.
   * @returns the snapshot or a failure; never rejects.
   */
  async request(signal: AbortSignal | undefined): Promise<SnapshotResult> {
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    if (signal?.aborted === true) controller.abort();
    signal?.addEventListener("abort", abort);
    this.inFlight.add(controller);
    try {
      return await requestSnapshot(this.options, controller.signal);
    } finally {
      this.inFlight.delete(controller);
      signal?.removeEventListener("abort", abort);
    }
  }

  /** Abort every request in flight. */
  abortAll(): void {
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }
}
