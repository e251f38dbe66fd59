/**
 * The embedded engine: every source's stream, catalogue, rollups and latest samples in this
 * process's memory. The default; one process, no dependency. Everything is synchronous inside
 * (the promises of the {@link Engine} interface resolve at once), so an append, its seq and
 * the notification of every feed listener happen in one turn of the event loop.
 *
 * A new epoch starts when a source is first used and on {@link MemoryEngine.reset}; a
 * restarted process starts every source in a new epoch, which is exactly when its frames
 * were lost.
 */
import type { IngestBatch } from "../ingest/batch.js";
import { newMetricInfo, updatedMetricInfo } from "../ingest/batch.js";
import type { MetricInfo } from "../wire.js";
import { newEpochName, planRead } from "./cursor.js";
import type { EncodedFrame } from "./frame.js";
import {
  answerHistory,
  appendResult,
  byId,
  checkSource,
  declarationsOf,
  deliver,
  framesOf,
  prepareAppend,
  resolveEngineOptions,
  type ResolvedEngineOptions,
} from "./prepare.js";
import { SeriesRollup, type TierBucket } from "./rollups.js";
import {
  failure,
  ok,
  type AppendResult,
  type Engine,
  type EngineOptions,
  type Feed,
  type FeedEvent,
  type FeedListener,
  type HistoryQuery,
  type HistoryResult,
  type ReadOptions,
  type ReadResult,
  type Result,
  type Snapshot,
  type SourceState,
} from "./types.js";

interface SeriesState {
  info: MetricInfo;
  rollup: SeriesRollup;
  /** Latest sample by time (NaN before the first). */
  latestT: number;
  latestV: number;
}

function catalogueOf(s: MemorySource): MetricInfo[] {
  return [...s.series.values()].map((state) => state.info).sort(byId);
}

class MemorySource {
  epoch: string;
  seq = 0;
  frames: EncodedFrame[] = [];
  /** Index of the oldest retained frame in `frames` (compacted now and then). */
  head = 0;
  bytes = 0;
  /** Latest append time: append times never go backwards, even if the clock does. */
  lastAppendAt = 0;
  /** Everything kept per series, found with one lookup per series per append. */
  readonly series = new Map<string, SeriesState>();
  readonly listeners = new Set<FeedListener>();

  constructor(
    readonly name: string,
    now: number,
  ) {
    this.epoch = newEpochName(now);
  }

  get oldestSeq(): number {
    return this.head < this.frames.length ? this.frames[this.head].seq : this.seq + 1;
  }

  state(): SourceState {
    return {
      source: this.name,
      epoch: this.epoch,
      seq: this.seq,
      oldestSeq: this.oldestSeq,
      retainedFrames: this.frames.length - this.head,
      retainedBytes: this.bytes,
      series: this.series.size,
    };
  }
}

export class MemoryEngine implements Engine {
  readonly kind = "memory" as const;
  private readonly sourcesByName = new Map<string, MemorySource>();
  private readonly options: ResolvedEngineOptions;

  constructor(options: EngineOptions = {}) {
    this.options = resolveEngineOptions(options);
  }

  private clock(): number {
    return this.options.clock();
  }

  async append(source: string, batch: IngestBatch): Promise<Result<AppendResult>> {
    return this.appendNow(source, batch);
  }

  /** {@link append} without the promise (the memory engine is synchronous). */
  appendNow(source: string, batch: IngestBatch): Result<AppendResult> {
    const got = this.source(source);
    if (!got.ok) return got;
    const s = got.value;
    const now = Math.max(Math.floor(this.clock()), s.lastAppendAt);

    // Catalogue: update what is known, admit new series up to the cap, in batch order.
    const added: MetricInfo[] = [];
    const changed: MetricInfo[] = [];
    const refused: string[] = [];
    for (const [id, declaration] of declarationsOf(batch)) {
      const current = s.series.get(id);
      if (current !== undefined) {
        const next = updatedMetricInfo(current.info, declaration);
        if (next !== undefined) {
          current.info = next;
          changed.push(next);
        }
      } else if (s.series.size < this.options.maxSeries) {
        const info = newMetricInfo(id, declaration);
        s.series.set(id, { info, rollup: new SeriesRollup(this.options.tiers), latestT: Number.NaN, latestV: Number.NaN });
        added.push(info);
      } else refused.push(id);
    }
    const refusedSet = new Set(refused);
    const prepared = prepareAppend(batch, (id) => !refusedSet.has(id));

    const frames = framesOf(prepared, s.seq + 1, now);
    s.seq += frames.length;
    if (frames.length > 0) s.lastAppendAt = now;
    for (const frame of frames) {
      s.frames.push(frame);
      s.bytes += frame.bytes;
    }
    for (const [id, cols] of prepared.series) {
      const state = s.series.get(id)!;
      state.rollup.add(cols.t, cols.v, now);
      const lastT = cols.t[cols.t.length - 1];
      // NaN (no sample yet) fails the comparison: the first sample always becomes the latest.
      if (!(lastT < state.latestT)) {
        state.latestT = lastT;
        state.latestV = cols.v[cols.v.length - 1];
      }
    }
    this.evict(s, now);

    const result = appendResult(
      batch,
      { source, epoch: s.epoch, newEpoch: false, frames, seq: s.seq, prepared },
      { added, changed, refused, cap: this.options.maxSeries },
    );
    if (frames.length > 0) this.notify(s, { type: "frames", epoch: s.epoch, frames });
    return ok(result);
  }

  async state(source: string): Promise<Result<SourceState>> {
    const got = this.source(source);
    if (!got.ok) return got;
    this.evict(got.value, this.clock());
    return ok(got.value.state());
  }

  async catalogue(source: string): Promise<Result<MetricInfo[]>> {
    const got = this.source(source);
    if (!got.ok) return got;
    return ok(catalogueOf(got.value));
  }

  async read(source: string, options: ReadOptions): Promise<Result<ReadResult>> {
    const got = this.source(source);
    if (!got.ok) return got;
    const s = got.value;
    this.evict(s, this.clock());
    const plan = planRead({ epoch: s.epoch, seq: s.seq, oldestSeq: s.oldestSeq }, options.since, options.epoch);
    if (!plan.ok) return failure("bad_since", plan.message);
    const max = Math.max(1, options.max ?? 2000);
    const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
    const frames: EncodedFrame[] = [];
    let bytes = 0;
    let more = false;
    if (plan.since !== null) {
      const oldest = s.oldestSeq;
      for (let seq = plan.nextSeq; seq <= s.seq; seq++) {
        const frame = s.frames[s.head + (seq - oldest)];
        if (frames.length >= max || (frames.length > 0 && bytes + frame.bytes > maxBytes)) {
          more = true;
          break;
        }
        frames.push(frame);
        bytes += frame.bytes;
      }
    }
    const result: ReadResult = { source, epoch: s.epoch, seq: s.seq, oldestSeq: s.oldestSeq, since: plan.since, frames, more };
    if (plan.gap !== undefined) result.gap = plan.gap;
    return ok(result);
  }

  async subscribe(source: string, listener: FeedListener): Promise<Result<Feed>> {
    const got = this.source(source);
    if (!got.ok) return got;
    const s = got.value;
    s.listeners.add(listener);
    const feed: Feed = { epoch: s.epoch, seq: s.seq, close: () => void s.listeners.delete(listener) };
    return ok(feed);
  }

  async history(source: string, query: HistoryQuery): Promise<Result<HistoryResult>> {
    const got = this.source(source);
    if (!got.ok) return got;
    const s = got.value;
    return answerHistory(source, query, (id) => s.series.has(id), this.options.tiers, this.clock(), this.options.maxHistoryPoints, async (choice, ids, fromStart, toStart) => {
      const out = new Map<string, TierBucket[]>();
      for (const id of ids) out.set(id, s.series.get(id)?.rollup.buckets(choice.tier, fromStart, toStart) ?? []);
      return ok(out);
    });
  }

  async snapshot(source: string): Promise<Result<Snapshot>> {
    const got = this.source(source);
    if (!got.ok) return got;
    const s = got.value;
    const latest: Snapshot["latest"] = {};
    for (const id of [...s.series.keys()].sort()) {
      const state = s.series.get(id)!;
      if (!Number.isNaN(state.latestT)) latest[id] = { t: state.latestT, v: state.latestV };
    }
    return ok({ source, epoch: s.epoch, seq: s.seq, serverTime: this.clock(), metrics: catalogueOf(s), latest });
  }

  async sources(): Promise<Result<SourceState[]>> {
    const now = this.clock();
    const out: SourceState[] = [];
    for (const name of [...this.sourcesByName.keys()].sort()) {
      const s = this.sourcesByName.get(name)!;
      this.evict(s, now);
      out.push(s.state());
    }
    return ok(out);
  }

  async reset(source: string): Promise<Result<SourceState>> {
    const got = this.source(source);
    if (!got.ok) return got;
    const s = got.value;
    const previous = s.epoch;
    s.epoch = newEpochName(this.clock());
    s.seq = 0;
    s.frames = [];
    s.head = 0;
    s.bytes = 0;
    this.notify(s, { type: "epoch", epoch: s.epoch, previous });
    return ok(s.state());
  }

  async close(): Promise<void> {
    for (const s of this.sourcesByName.values()) s.listeners.clear();
  }

  private source(name: string): Result<MemorySource> {
    const existing = this.sourcesByName.get(name);
    if (existing !== undefined) return ok(existing);
    const bad = checkSource(name);
    if (bad !== undefined) return bad as Result<MemorySource>;
    const { maxSources } = this.options;
    if (this.sourcesByName.size >= maxSources) return failure("unknown_source", `this engine already holds its most sources (${maxSources})`);
    const created = new MemorySource(name, this.clock());
    this.sourcesByName.set(name, created);
    return ok(created);
  }

  /** Drops frames older than the retention window or beyond the count and byte caps. */
  private evict(s: MemorySource, now: number): void {
    const { retentionMs, maxFrames, maxBytes } = this.options.retention;
    const cutoff = now - retentionMs;
    while (s.head < s.frames.length) {
      const oldest = s.frames[s.head];
      const count = s.frames.length - s.head;
      const tooOld = oldest.appendedAt <= cutoff;
      // The caps always leave the newest frame, so a live reader can always be served.
      const overCap = count > 1 && (count > maxFrames || s.bytes > maxBytes);
      if (!tooOld && !overCap) break;
      s.bytes -= oldest.bytes;
      s.head += 1;
    }
    if (s.head > 1024 && s.head * 2 > s.frames.length) {
      s.frames = s.frames.slice(s.head);
      s.head = 0;
    }
  }

  private notify(s: MemorySource, event: FeedEvent): void {
    deliver(s.listeners, event, s.name, this.options.log);
  }
}
