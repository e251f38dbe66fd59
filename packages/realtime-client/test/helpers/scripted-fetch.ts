/**
 * A `fetch` for the polling fallback whose replies the test writes: `/api/metrics` answers at
 * once with the given catalogue; every poll waits until the test resolves it with
 * `polls.shift()!(body)`, and rejects when the client aborts it.
 */
import type { MetricInfo, PollResponse } from "@pulseboard/protocol";
import type { FetchLike, FetchResponseLike } from "../../src/transports/types.js";

export interface ScriptedFetch {
  fetch: FetchLike;
  /** Pending polls, oldest first: call one with the reply's body. */
  polls: ((body: PollResponse) => void)[];
}

export function scriptedFetch(catalogue: readonly MetricInfo[]): ScriptedFetch {
  const polls: ((body: PollResponse) => void)[] = [];
  const respond = (body: unknown): FetchResponseLike => ({ ok: true, status: 200, text: () => Promise.resolve(JSON.stringify(body)) });
  const fetch: FetchLike = (url, init) => {
    if (new URL(url).pathname === "/api/metrics") return Promise.resolve(respond({ source: "default", metrics: catalogue }));
    return new Promise((resolve, reject) => {
      polls.push((body) => resolve(respond(body)));
      init.signal.addEventListener("abort", () => reject(new Error("aborted")));
    });
  };
  return { fetch, polls };
}
