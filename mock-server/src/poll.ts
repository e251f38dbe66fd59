/**
 * `GET /api/poll`: the WebSocket stream over plain HTTP, on the same seq cursor.
 *
 * A poll returns the frames after `since` exactly as a WebSocket subscriber with the same
 * filter receives them (the very same JSON text), preceded by the same gap rules. With
 * `wait`, an empty poll is held open until the next frame or the timeout (long-poll).
 */
import type { ServerResponse } from "node:http";
import type { SourceStream } from "./stream.js";
import type { Subscription } from "./frame-encoding.js";
import { HttpError } from "./http-util.js";

/** Longest long-poll wait; larger `wait` values are capped to it. */
export const MAX_POLL_WAIT_MS = 30_000;
/** Frames per reply unless `max` says otherwise, and the most `max` may ask for. */
export const DEFAULT_POLL_MAX_FRAMES = 2000;
export const MAX_POLL_MAX_FRAMES = 10_000;
/** A reply stops adding frames past this many bytes (and sets `more`); it always has one. */
export const MAX_POLL_REPLY_BYTES = 8 * 1024 * 1024;
/** Most long-polls held open at once; beyond, polls answer at once as if `wait=0`. */
export const MAX_PENDING_POLLS = 1000;

export interface PollQuery {
  /** Absent: no frames, just the cursor (seq, epoch) to start from. */
  since: number | undefined;
  epoch: string | undefined;
  subscription: Subscription;
  max: number;
  /** Requested ids the catalogue does not have; named in the reply, otherwise ignored. */
  unknownMetrics: readonly string[];
}

/**
 * The poll reply as JSON text, or undefined when there is nothing to say yet (no frames and
 * no gap) so that a long-poll should wait. Throws a 400 HttpError for a bad cursor.
 */
export function pollReply(stream: SourceStream, query: PollQuery, now: number, allowEmpty: boolean): string | undefined {
  const head = (gapJson: string) =>
    `{"type":"poll","source":${JSON.stringify(stream.name)},"epoch":${JSON.stringify(stream.epoch)},"serverTime":${now},` +
    `"seq":${stream.seq},"oldestSeq":${stream.oldestSeq},${gapJson}${unknownJson}"frames":[`;
  const unknownJson = query.unknownMetrics.length > 0 ? `"unknownMetrics":${JSON.stringify(query.unknownMetrics)},` : "";
  if (query.since === undefined) return `${head("")}],"more":false}`;
  const plan = stream.resolveCursor(query.since, query.epoch);
  if (!plan.ok) throw new HttpError(400, "bad_since", plan.message);
  if (!plan.gap && plan.nextSeq > stream.seq && !allowEmpty) return undefined;
  const parts: string[] = [];
  let bytes = 0;
  let seq = plan.nextSeq;
  for (; seq <= stream.seq && parts.length < query.max; seq++) {
    const json = stream.frame(seq)!.encodeFor(query.subscription);
    if (parts.length > 0 && bytes + json.length > MAX_POLL_REPLY_BYTES) break;
    parts.push(json);
    bytes += json.length + 1;
  }
  const gapJson = plan.gap ? `"gap":${JSON.stringify(plan.gap)},` : "";
  return `${head(gapJson)}${parts.join(",")}],"more":${seq <= stream.seq}}`;
}

interface PendingPoll {
  res: ServerResponse;
  release: () => void;
  timer: NodeJS.Timeout;
  stopListening: () => void;
}

/** Long-polls waiting for a frame, so that they can be ended on restart or shutdown. */
export class PendingPolls {
  private readonly pending = new Set<PendingPoll>();

  get size(): number {
    return this.pending.size;
  }

  get full(): boolean {
    return this.pending.size >= MAX_PENDING_POLLS;
  }

  /**
   * Calls `ready` once, when the stream produces frames or after `waitMs`, unless the client
   * goes away first.
   */
  wait(stream: SourceStream, res: ServerResponse, waitMs: number, ready: () => void): void {
    const finish = () => {
      if (!this.pending.delete(poll)) return;
      clearTimeout(poll.timer);
      poll.stopListening();
      res.off("close", abandon);
      ready();
    };
    const abandon = () => {
      if (!this.pending.delete(poll)) return;
      clearTimeout(poll.timer);
      poll.stopListening();
    };
    const poll: PendingPoll = { res, release: finish, timer: setTimeout(finish, waitMs), stopListening: stream.onFrames(finish) };
    poll.timer.unref();
    this.pending.add(poll);
    res.on("close", abandon);
  }

  /** Answers every pending poll now (graceful shutdown). */
  releaseAll(): void {
    for (const poll of [...this.pending]) poll.release();
  }

  /** Ends every pending poll abruptly (the `restart` fault: a crash loses in-flight requests). */
  destroyAll(): void {
    for (const poll of [...this.pending]) {
      this.pending.delete(poll);
      clearTimeout(poll.timer);
      poll.stopListening();
      poll.res.destroy();
    }
  }
}
