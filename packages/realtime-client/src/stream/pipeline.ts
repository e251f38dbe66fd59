/**
 * The transport-independent half of the manager (wired up in ../client/stream-data.ts): validated
 * frames in, ring buffers out.
 *
 * ```
 * WebSocket or poll reply ──▶ StreamPipeline ──▶ SeqCursor ──▶ SeriesStore / EventLog ──▶ notify
 *                                  │ gap, epoch change, lost frame
 *                                  └──▶ GapBackfiller (history) ──▶ `gap` event
 * ```
 *
 * Both transports feed the same pipeline, which is what makes switching between them safe:
 * the cursor drops whatever one transport delivers that the other already did, and holds
 * frames that arrive ahead of a hole until it is filled or declared lost.
 *
 * Resume rules:
 * - First contact with a stream: `startFrom: "retained"` starts at seq 0 (replay everything
 *   retained); `"live"` starts after the seq the server reports when subscribing.
 * - Same epoch: resume with `since = cursor.seq`; the server replays the rest.
 * - New epoch (the server's stream restarted): the rest of the old epoch is lost for good,
 *   which is reported as a gap, and the whole new epoch is taken from seq 0. Epochs left
 *   behind are remembered, so a late reply from the old one cannot switch back to it.
 * - A frame the server sent but the client had to reject (too large, malformed) while it was
 *   the next one expected is treated as lost: a gap of one seq, filled from history like any
 *   other. Waiting for it would stall the stream forever.
 * - A frame that never arrived while later ones did (lost on the way) is a hole, not a gap:
 *   the server still has it. The cursor holds the later frames, the transport asks for a
 *   replay (./hole-repair.ts; a poll asks from the cursor anyway), and only a `gap` from the
 *   server turns it into lost data. Each hole filled this way counts as `holesRepaired`.
 *
 * @module
 */

import type { Clock } from "../scheduling/clock.js";
import type { EventLog } from "../store/event-log.js";
import type { GapBackfiller, GapNotice } from "../history/gap-backfill.js";
import type { GapFrame, StreamFrame } from "@pulseboard/protocol";
import { SeqCursor } from "./seq-cursor.js";
import type { SeriesStore } from "../store/series-store.js";
import type { StatsCounters } from "../client/stats.js";

/** Options of {@link StreamPipeline}. */
export interface StreamPipelineOptions {
  store: SeriesStore;
  eventLog: EventLog;
  backfiller: GapBackfiller;
  counters: StatsCounters;
  clock: Clock;
  startFrom: "live" | "retained";
  /** Whether a metric is part of the current subscription (only those are backfilled). */
  isSubscribed: (id: string) => boolean;
  /** Something was applied: schedule a notification. */
  onChanged: () => void;
  /** A data frame named metrics the catalogue does not have. */
  onUnknownMetrics: (ids: readonly string[]) => void;
}

/** Where to resume: the `since` and `epoch` of the next subscribe or poll. */
export interface ResumePoint {
  /** Null: live only (first contact with `startFrom: "live"`). */
  since: number | null;
  epoch: string | undefined;
}

/** Most rejected-but-numbered frames remembered while waiting for the cursor to reach them. */
const MAX_REJECTED = 256;

/**
 * Seq cursor, stores and gap detection, shared by every transport.
 *
 * @example
 * ```ts
 * pipeline.adoptEpoch(hello.epoch);
 * socket.send(subscribe(pipeline.resumePoint()));
 * // on each frame:
 * pipeline.offer(frame);
 * ```
 */
export class StreamPipeline {
  private readonly options: StreamPipelineOptions;
  private readonly cursor = new SeqCursor<StreamFrame>();
  /** We hold a position in the cursor's epoch (false until a live start learned its seq). */
  private positioned = false;
  private readonly retiredEpochs = new Set<string>();
  private readonly rejectedSeqs = new Set<number>();
  private newestTime = Number.NaN;
  /**
   * Newest seq the server already held when the current subscription or poll loop started:
   * frames up to it are its retained backlog (replay), not the live rate.
   */
  private backlogUntil = 0;

  /** @param options - see {@link StreamPipelineOptions}. */
  constructor(options: StreamPipelineOptions) {
    this.options = options;
  }

  /** The epoch of the cursor, null before first contact. */
  get epoch(): string | null {
    return this.cursor.epoch;
  }

  /** Last seq applied. */
  get seq(): number {
    return this.cursor.seq;
  }

  /** Frames dropped as already applied. */
  get duplicates(): number {
    return this.cursor.duplicates;
  }

  /** Whether the position in the stream is known (see {@link StreamPipeline.startLive}). */
  get positionKnown(): boolean {
    return this.positioned;
  }

  /** Newest sample time applied (ms), NaN before any. */
  get newestSampleTime(): number {
    return this.newestTime;
  }

  /**
   * @param epoch - an epoch seen in a poll reply.
   * @returns whether it is an epoch this client already left (its frames must be ignored).
   */
  isRetired(epoch: string): boolean {
    return this.retiredEpochs.has(epoch);
  }

  /** @returns the `since`/`epoch` to subscribe or poll with. */
  resumePoint(): ResumePoint {
    if (!this.positioned) return { since: null, epoch: undefined };
    return { since: this.cursor.seq, epoch: this.cursor.epoch ?? undefined };
  }

  /**
   * The server said which epoch it streams (hello, poll reply). A different one than the
   * cursor's is a restart: the old epoch's remaining frames are reported lost.
   *
   * @param epoch - the server's current epoch.
   */
  adoptEpoch(epoch: string): void {
    const previousEpoch = this.cursor.epoch;
    if (previousEpoch === epoch) return;
    const starts = this.lastTimes();
    const change = this.cursor.setEpoch(epoch);
    this.rejectedSeqs.clear();
    this.backlogUntil = 0;
    if (!change.reset) {
      this.positioned = this.options.startFrom === "retained";
      return;
    }
    this.retiredEpochs.add(change.previousEpoch);
    // Everything the new epoch produced is new to us: take it from its first frame.
    this.positioned = true;
    // How many frames the old epoch still produced after the cursor is unknown: `to` says so.
    this.openGap({ from: change.lostFrom, to: null, reason: "epoch" }, starts);
  }

  /**
   * First contact with `startFrom: "live"`: frames before `nextSeq` are history, not a gap.
   * @param nextSeq - seq of the first frame the server will send.
   */
  startLive(nextSeq: number): void {
    if (this.positioned) return;
    this.positioned = true;
    if (nextSeq > 1) this.applyAll(this.cursor.skip(1, nextSeq - 1));
  }

  /**
   * The server held every frame up to `seq` when the stream (re)started on a transport
   * (`subscribed.seq`, the head of a resuming poll reply): those frames are replayed backlog.
   * Their points count as `pointsReplayed`, not in the live `pointsPerSecond`, so a page that
   * opens with `startFrom: "retained"`, or a resume after an outage, does not read as a burst
   * of traffic.
   *
   * @param seq - the server's newest seq at that moment, in the cursor's epoch.
   */
  noteBacklog(seq: number): void {
    if (seq > this.backlogUntil) this.backlogUntil = seq;
  }

  /**
   * A data or events frame from any transport.
   * @param frame - a validated stream frame of the cursor's epoch.
   */
  offer(frame: StreamFrame): void {
    const ready = this.cursor.offer(frame);
    // More than the frame itself: it filled a hole and released the frames held behind it.
    if (ready.length > 1) this.options.counters.holesRepaired++;
    this.applyAll(ready);
  }

  /**
   * The hole the cursor waits on: seqs lost on the way while later frames arrived (they are
   * held). A transport that cannot count on its next request to fill it asks for a replay
   * (./hole-repair.ts).
   * @returns the first missing run of seqs (inclusive), or null when nothing is held.
   */
  pendingRange(): { from: number; to: number } | null {
    return this.cursor.pendingRange();
  }

  /**
   * The server cannot replay `from..to`. Parts the cursor already holds are ignored.
   * @param gap - the server's gap notice.
   */
  gap(gap: GapFrame): void {
    const from = Math.max(gap.from, this.cursor.seq + 1);
    if (gap.to < from) return;
    this.openGap({ from, to: gap.to, reason: gap.reason }, this.lastTimes());
    this.applyAll(this.cursor.skip(from, gap.to));
  }

  /**
   * A frame with this seq was received but rejected by validation.
   * @param seq - the seq it carried.
   */
  rejected(seq: number): void {
    if (seq <= this.cursor.seq || !this.positioned) return;
    if (this.rejectedSeqs.size >= MAX_REJECTED) return;
    this.rejectedSeqs.add(seq);
    this.skipRejected();
  }

  private openGap(notice: GapNotice, starts: Map<string, number>): void {
    this.options.counters.gapsReported++;
    this.options.backfiller.open(notice, starts);
  }

  /** While the next expected seq is a rejected one, declare it lost. */
  private skipRejected(): void {
    while (this.rejectedSeqs.has(this.cursor.seq + 1)) {
      const seq = this.cursor.seq + 1;
      this.rejectedSeqs.delete(seq);
      this.openGap({ from: seq, to: seq, reason: "rejected" }, this.lastTimes());
      this.applyAll(this.cursor.skip(seq, seq));
    }
  }

  private applyAll(frames: StreamFrame[]): void {
    if (frames.length === 0) return;
    const { store, eventLog, counters, backfiller, clock } = this.options;
    for (let f = 0; f < frames.length; f++) {
      const frame = frames[f];
      counters.streamFrames++;
      if (frame.type === "data") {
        const result = store.ingest(frame);
        if (frame.seq <= this.backlogUntil) {
          counters.pointsReplayed += result.points;
        } else {
          counters.pointsLive += result.points;
          counters.pointRate.add(result.points, clock.now());
        }
        if (result.unknownIds.length > 0) this.options.onUnknownMetrics(result.unknownIds);
        for (const id in frame.series) {
          const t = frame.series[id].t;
          const last = t.length > 0 ? t[t.length - 1] : Number.NaN;
          if (Number.isFinite(last) && !(last <= this.newestTime)) this.newestTime = last;
        }
        backfiller.noteFrame(frame);
      } else {
        eventLog.append(frame.events);
        counters.events += frame.events.length;
      }
    }
    if (this.rejectedSeqs.size > 0) {
      for (const seq of this.rejectedSeqs) if (seq <= this.cursor.seq) this.rejectedSeqs.delete(seq);
      this.skipRejected();
    }
    this.options.onChanged();
  }

  /** Newest sample time per subscribed series that holds data: where each gap begins. */
  private lastTimes(): Map<string, number> {
    const { store, isSubscribed } = this.options;
    const starts = new Map<string, number>();
    for (const id of store.ids()) {
      if (!isSubscribed(id)) continue;
      const last = store.series(id)?.lastTime ?? Number.NaN;
      if (Number.isFinite(last)) starts.set(id, last);
    }
    return starts;
  }
}
