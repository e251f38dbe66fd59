/**
 * The manager's side of the polling fallback: which poll loop it trusts, and what its replies
 * and failures mean.
 *
 * A poll reply is the HTTP twin of a run of WebSocket messages: its epoch plays the hello's
 * part, its frames go through the same stream pipeline and seq cursor, so the stream
 * moves between the transports without losing or repeating a frame. Without a socket there
 * is no hello carrying the catalogue: the loop fetches it first, and the session announces it
 * as a `hello` event with the first reply.
 *
 * Failures count towards the manager's `maxRetries`; 401 and 403 end the connection at once,
 * through the manager's disconnect funnel like every other ending (./session-context.ts).
 * The first poll and the first after a failure ask for an immediate reply (`wait=0`): the
 * manager's state says `polling` only once a reply arrived, and a server that is back should
 * say so at once, not when a held long-poll ends.
 *
 * @module
 */

import type { MetricInfo, PollResponse } from "@pulseboard/protocol";
import type { StreamPipeline } from "../stream/pipeline.js";
import { isStale, type SessionContext, type StreamSink, type SubscriptionSink } from "./session-context.js";
import { PollingTransport } from "../transports/polling-transport.js";
import type { HttpFailure } from "../transports/types.js";

/**
 * The stream as the polling session drives it: the cursor operations of every session, and
 * whether a reply's epoch is one the stream already left (its frames must be ignored).
 */
export type PollStreamSink = StreamSink & Pick<StreamPipeline, "isRetired">;

/** The subscription as the polling session sees it: without a hello, it fetches and announces the catalogue. */
export interface PollSubscriptionSink extends SubscriptionSink {
  /** @returns the installed catalogue (empty before the first: then the loop fetches one). */
  catalogue(): readonly MetricInfo[];
  /**
   * Report each id once per catalogue or subscription.
   * @param ids - requested ids the server does not know.
   * @param what - the rest of the sentence after the id.
   */
  reportUnknownMetrics(ids: readonly string[], what: string): void;
}

/** Options of {@link PollingSession}: the shared context, its sinks and the manager's failure count. */
export interface PollingSessionOptions extends SessionContext {
  /** Where validated frames and gaps go, and where the stream resumes from. */
  stream: PollStreamSink;
  /** What to poll for; where the fetched catalogue goes. */
  subscription: PollSubscriptionSink;
  /** A reply arrived: the consecutive failures are over. */
  onReply: () => void;
  /** A poll failed: one more consecutive failure. */
  onFailure: (message: string) => void;
}

/**
 * One poll loop at a time, on top of a {@link PollingTransport}.
 *
 * @example
 * ```ts
 * const polling = new PollingSession({ ...context, onReply, onFailure });
 * polling.start();    // the stream falls back to polling
 * polling.stop();     // back on WebSocket, or closed: its late replies are stale
 * ```
 */
export class PollingSession {
  private readonly options: PollingSessionOptions;
  private readonly transport: PollingTransport;
  /** The poll loop we trust; callbacks of any other are stale. */
  private pollId: number | null = null;
  /** The catalogue arrived over HTTP; announce it with the first poll reply. */
  private helloPending = false;
  /** The loop's first reply carries the backlog since the cursor: replay, not live rate. */
  private backlogPending = false;
  /**
   * The next poll asks for an immediate reply instead of a long-poll: right after the start and
   * after a failure, the manager must learn at once whether HTTP gets through (a held poll
   * would leave it guessing for up to `pollWaitMs`).
   */
  private confirmNext = true;

  /** @param options - see {@link PollingSessionOptions}. */
  constructor(options: PollingSessionOptions) {
    const { config: o, stream, subscription, retries } = options;
    this.options = options;
    this.transport = new PollingTransport({
      httpUrl: o.httpUrl,
      source: o.source,
      token: o.token,
      fetch: o.fetch,
      clock: o.clock,
      waitMs: o.fallback.pollWaitMs,
      requestTimeoutMs: o.connectTimeoutMs,
      maxFrames: o.fallback.maxFramesPerPoll,
      maxBytes: o.maxFrameBytes,
      query: () => ({ ...stream.resumePoint(), metrics: subscription.subscribed, events: o.events, immediate: this.confirmNext }),
      needsCatalogue: () => subscription.catalogue().length === 0,
      delayAfterFailure: (n) => retries.plan("polling", n),
      nextId: options.nextId,
      listener: {
        onCatalogue: (id, metrics) => this.onCatalogue(id, metrics),
        onResponse: (id, response, bytes) => this.onResponse(id, response, bytes),
        onFailure: (id, failure, consecutive) => this.onFailure(id, failure, consecutive),
        onRetry: (id) => {
          if (!isStale(id, this.pollId, options.counters)) retries.started("polling");
        },
      },
    });
  }

  /** Start a new poll loop and trust only it. */
  start(): void {
    this.confirmNext = true;
    this.pollId = this.transport.start();
    this.backlogPending = true;
  }

  /** Stop polling: the request in flight is aborted, and anything the loop still says is stale. */
  stop(): void {
    this.transport.stop();
    this.pollId = null;
  }

  /** @returns whether a failure's wait was cut short: the next poll starts now. */
  retryNow(): boolean {
    return this.transport.retryNow();
  }

  private onCatalogue(id: number, metrics: MetricInfo[]): void {
    if (isStale(id, this.pollId, this.options.counters)) return;
    this.options.subscription.installCatalogue(metrics);
    this.helloPending = true;
  }

  private onResponse(id: number, response: PollResponse, bytes: number): void {
    const { counters, stream: pipeline, subscription } = this.options;
    if (isStale(id, this.pollId, counters)) return;
    this.options.countMessage("polling");
    this.confirmNext = false;
    counters.bytes += bytes;
    this.options.onReply();
    if (pipeline.isRetired(response.epoch)) return;
    pipeline.adoptEpoch(response.epoch);
    if (this.helloPending) {
      // The catalogue came over HTTP: announce it like a WebSocket hello.
      this.helloPending = false;
      const { source, epoch, serverTime, seq, oldestSeq } = response;
      this.options.emitter.emit("hello", { transport: "polling", source, epoch, serverTime, seq, oldestSeq, metrics: subscription.catalogue() });
      if (this.pollId !== id) return; // a hello listener closed the manager
    }
    if (response.unknownMetrics !== undefined) subscription.reportUnknownMetrics(response.unknownMetrics, "is not in the catalogue; the server ignores it");
    if (!pipeline.positionKnown) pipeline.startLive(response.frames.length > 0 ? response.frames[0].seq : response.seq + 1);
    // The first reply of a loop, and every reply cut short by `max`, replay what the server held.
    if (this.backlogPending || response.more) pipeline.noteBacklog(response.seq);
    this.backlogPending = false;
    if (response.gap !== undefined) pipeline.gap(response.gap);
    for (const frame of response.frames) pipeline.offer(frame);
  }

  private onFailure(id: number, failure: HttpFailure, consecutive: number): void {
    const { counters, disconnect, reportError } = this.options;
    if (isStale(id, this.pollId, counters)) return;
    if (failure.code === "http" && (failure.status === 401 || failure.status === 403)) {
      const code = failure.status === 401 ? "unauthorized" : "forbidden";
      disconnect({ kind: "fail", code, message: failure.message });
      return;
    }
    if (failure.code !== "http" && failure.code !== "network" && failure.code !== "timeout") counters.parseErrors[failure.code]++;
    counters.bytes += failure.bytes;
    this.confirmNext = true;
    reportError("poll_failed", `${failure.message} (${consecutive} in a row)`);
    this.options.onFailure(failure.message);
  }
}
