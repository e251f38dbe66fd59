/**
 * The Redis Streams engine: every piece of stream state lives in Redis, so any gateway can
 * append to any source and serve any viewer's cursor. The Lua scripts and the key layout are
 * in ./redis-scripts.ts.
 *
 * - seq is the stream ID `<seq>-0`, assigned by one atomic script per append: several
 *   gateways appending to one source keep it contiguous.
 * - A new epoch whenever Redis may have lost data: the meta hash is missing, or the Redis
 *   run_id changed (restart, failover).
 * - Retention by time, frame count and bytes, kept exact by the scripts.
 * - Fan-out: each gateway tails the sources its viewers watch with `XREAD BLOCK` from its
 *   last seq, one blocking connection per watched source, and hands the frames it read to
 *   every local listener (built once).
 * - Redis unreachable, restarting or loading: every call answers `unavailable` within the
 *   command timeout. Commands are never queued while disconnected, and never re-sent after a
 *   reconnect (an append whose reply was lost may or may not have happened; the producer
 *   learns it failed and retries, so ingest is at-least-once).
 */
import { Redis, type RedisOptions } from "ioredis";
import type { IngestBatch, MetricDeclaration } from "../ingest/batch.js";
import { newMetricInfo, updatedMetricInfo } from "../ingest/batch.js";
import type { MetricInfo } from "../wire.js";
import { newEpochName, planRead } from "./cursor.js";
import { EncodedFrame } from "./frame.js";
import { APPEND_SCRIPT, CATALOGUE_SCRIPT, READ_SCRIPT } from "./redis-scripts.js";
import {
  answerHistory,
  appendResult,
  byId,
  checkSource,
  declarationsOf,
  deliver,
  frameCount,
  framesOf,
  prepareAppend,
  resolveEngineOptions,
  type ResolvedEngineOptions,
} from "./prepare.js";
import { AGG_SIZE, partialBuckets, type TierBucket } from "./rollups.js";
import {
  failure,
  ok,
  type AppendResult,
  type Engine,
  type EngineError,
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

export interface RedisEngineOptions extends EngineOptions {
  /** Where Redis is. Only loopback addresses in tests. @default 127.0.0.1 */
  host?: string;
  /** @default 6379 */
  port?: number;
  /** Key prefix: `PREFIX:{source}:…`. @default "pb" */
  keyPrefix?: string;
  /** Longest wait for one command before it answers `unavailable`. @default 2000 */
  commandTimeoutMs?: number;
  /** How long one `XREAD BLOCK` of a feed waits before it checks the epoch. @default 1000 */
  tailBlockMs?: number;
  /** Extra ioredis options (password, tls, db...). Ours win where they overlap. */
  redis?: RedisOptions;
}

interface SourceCache {
  catalogue: Map<string, MetricInfo>;
  /** Catalogue version seen; a newer one in an append reply makes `catalogue()` re-read. */
  version: number;
  stale: boolean;
}

/** Errors Redis answers while it cannot serve (loading, busy, failing over...): unavailable, not bugs. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|OOM|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|NOSCRIPT)/;

export class RedisEngine implements Engine {
  readonly kind = "redis" as const;
  private readonly redis: Redis;
  private readonly options: ResolvedEngineOptions;
  private readonly prefix: string;
  private readonly where: string;
  private readonly tailBlockMs: number;
  private readonly connectionOptions: RedisOptions;
  /** run_id of the Redis this connection reached; "" while unknown (the scripts then ask INFO). */
  private runId = "";
  private lastError = "not connected yet";
  private readonly caches = new Map<string, SourceCache>();
  private readonly knownSources = new Set<string>();
  private readonly tails = new Map<string, Tail>();
  private readonly shas = new Map<string, string>();
  private closed = false;

  constructor(options: RedisEngineOptions = {}) {
    this.options = resolveEngineOptions(options);
    this.prefix = options.keyPrefix ?? "pb";
    this.tailBlockMs = options.tailBlockMs ?? 1000;
    const host = options.host ?? "127.0.0.1";
    const port = options.port ?? 6379;
    this.where = `Redis at ${host}:${port}`;
    this.connectionOptions = {
      ...options.redis,
      host,
      port,
      // Never queue while disconnected, never re-send after a reconnect: a caller gets
      // `unavailable` at once and decides; a re-sent append could land on a restarted Redis
      // with an outdated run_id.
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      connectTimeout: options.commandTimeoutMs ?? 2000,
      retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    };
    this.redis = new Redis(this.connectionOptions);
    this.redis.on("error", (error: Error) => {
      this.lastError = error.message;
    });
    this.redis.on("close", () => this.forgetConnection());
    this.redis.on("ready", () => {
      void this.learnRunId();
    });
  }

  /** Waits until the connection is ready (or `timeoutMs` passed): `unavailable` otherwise. */
  async ready(timeoutMs = 5000): Promise<Result<void>> {
    if (this.redis.status === "ready") return ok(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.redis.off("ready", onReady);
        resolve(this.unavailable(`not ready within ${timeoutMs} ms`));
      }, timeoutMs);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve(ok(undefined));
      };
      this.redis.once("ready", onReady);
    });
  }

  async append(source: string, batch: IngestBatch): Promise<Result<AppendResult>> {
    const bad = await this.ensureSource(source);
    if (bad !== undefined) return bad;
    const cache = this.cache(source);

    // Catalogue first: admit new series (the cap is checked inside Redis, across gateways),
    // apply stated fields. Only ids this gateway has not seen, or whose stated fields differ
    // from what it knows, go to Redis.
    const added: MetricInfo[] = [];
    const changed: MetricInfo[] = [];
    const refused: string[] = [];
    const declarations = declarationsOf(batch);
    const toSend = declarations.filter(([id, declaration]) => {
      const known = cache.catalogue.get(id);
      return known === undefined || updatedMetricInfo(known, declaration) !== undefined;
    });
    if (toSend.length > 0) {
      const declared = await this.declare(source, cache, toSend);
      if (!declared.ok) return declared;
      added.push(...declared.value.added);
      changed.push(...declared.value.changed);
      refused.push(...declared.value.refused);
    }
    const refusedSet = new Set(refused);
    const prepared = prepareAppend(batch, (id) => !refusedSet.has(id));
    const now = this.options.clock();
    const { tiers, maxSeries } = this.options;

    const keys = [this.key(source, "meta"), this.key(source, "f"), this.key(source, "ti"), this.key(source, "last")];
    const args: Array<string | Buffer | number> = [
      ...this.epochArgs(now),
      prepared.dataBody ?? "",
      prepared.dataBytes,
      prepared.eventsBody ?? "",
      prepared.eventsBytes,
    ];
    args.push(prepared.series.length);
    for (const [id, cols] of prepared.series) {
      // The latest sample by time (ties: the later one), as the memory engine keeps it.
      const last = cols.t.length - 1;
      const packed = Buffer.alloc(16);
      packed.writeDoubleLE(cols.t[last], 0);
      packed.writeDoubleLE(cols.v[last], 8);
      args.push(id, packed);
    }
    const partials = partialBuckets(prepared.series, tiers, now);
    partials.forEach((byBucket, tier) => {
      const { resolutionMs, retentionMs } = tiers[tier];
      for (const [start, members] of byBucket) {
        keys.push(this.bucketKey(source, resolutionMs, start));
        // Expire a little after the query stops answering for it, so the query decides.
        args.push(Math.floor(start + retentionMs + Math.max(resolutionMs, 60_000)), members.size);
        for (const [id, agg] of members) args.push(id, Buffer.from(agg.buffer, agg.byteOffset, AGG_SIZE * 8));
      }
    });

    const reply = await this.script(APPEND_SCRIPT, keys, args);
    if (!reply.ok) return reply;
    const [epoch, fresh, actual, seqText, stamp] = reply.value as [string, number, string, number, string];
    if (actual !== "") this.runId = actual;
    const seq = Number(seqText);
    const frames = framesOf(prepared, seq - frameCount(prepared) + 1, Number(stamp));

    if (fresh === 1) {
      // The stream started over: the catalogue this gateway remembers may be gone with it.
      cache.catalogue.clear();
      cache.stale = true;
      const again = await this.declare(source, cache, declarations);
      if (again.ok) added.push(...again.value.added.filter((info) => !added.some((a) => a.id === info.id)));
    }

    return ok(appendResult(batch, { source, epoch, newEpoch: fresh === 1, frames, seq, prepared }, { added, changed, refused, cap: maxSeries }));
  }

  async state(source: string): Promise<Result<SourceState>> {
    const read = await this.readScript(source, { since: null }, false);
    if (!read.ok) return read;
    const cat = await this.catalogueSize(source);
    if (!cat.ok) return cat;
    return ok({ ...read.value.position, source, series: cat.value });
  }

  async catalogue(source: string): Promise<Result<MetricInfo[]>> {
    const bad = await this.ensureSource(source);
    if (bad !== undefined) return bad;
    const all = await this.call(() => this.redis.hgetall(this.key(source, "cat")));
    if (!all.ok) return all;
    const cache = this.cache(source);
    const list: MetricInfo[] = [];
    for (const [id, json] of Object.entries(all.value)) {
      const info = parseInfo(id, json);
      if (info === undefined) continue;
      list.push(info);
      cache.catalogue.set(id, info);
    }
    cache.stale = false;
    return ok(list.sort(byId));
  }

  async read(source: string, options: ReadOptions): Promise<Result<ReadResult>> {
    const read = await this.readScript(source, options, false);
    if (!read.ok) return read;
    const { position, entries, more } = read.value;
    const plan = planRead(position, options.since, options.epoch);
    if (!plan.ok) return failure("bad_since", plan.message);
    const frames = entries.map((entry) => entryFrame(entry));
    const result: ReadResult = { source, ...position, since: plan.since, frames, more };
    if (plan.gap !== undefined) result.gap = plan.gap;
    if (frames.length > 0 && frames[0].seq !== plan.nextSeq) {
      return failure("internal", `read from seq ${plan.nextSeq} found seq ${frames[0].seq} first`);
    }
    return ok(result);
  }

  async subscribe(source: string, listener: FeedListener): Promise<Result<Feed>> {
    let tail = this.tails.get(source);
    if (tail === undefined) {
      const start = await this.readScript(source, { since: null }, false);
      if (!start.ok) return start;
      // Another subscribe may have started the tail while this one waited.
      tail = this.tails.get(source);
      if (tail === undefined) {
        tail = new Tail(this, source, start.value.position.epoch, start.value.position.seq);
        this.tails.set(source, tail);
        tail.start();
      }
    }
    const t = tail;
    t.listeners.add(listener);
    return ok({
      epoch: t.epoch,
      seq: t.seq,
      close: () => {
        t.listeners.delete(listener);
        if (t.listeners.size === 0) {
          t.stop();
          if (this.tails.get(source) === t) this.tails.delete(source);
        }
      },
    });
  }

  async history(source: string, query: HistoryQuery): Promise<Result<HistoryResult>> {
    const cat = await this.catalogue(source);
    if (!cat.ok) return cat;
    const known = new Set(cat.value.map((m) => m.id));
    const { tiers, clock, maxHistoryPoints } = this.options;
    return answerHistory(source, query, (id) => known.has(id), tiers, clock(), maxHistoryPoints, async (choice, ids, fromStart, toStart) => {
      const starts: number[] = [];
      for (let start = fromStart; start <= toStart; start += choice.resolutionMs) starts.push(start);
      const out = new Map<string, TierBucket[]>(ids.map((id) => [id, []]));
      for (let i = 0; i < starts.length; i += 256) {
        const chunk = starts.slice(i, i + 256);
        const got = await this.call(async () => {
          const pipeline = this.redis.pipeline();
          for (const start of chunk) pipeline.hmgetBuffer(this.bucketKey(source, choice.resolutionMs, start), ...ids);
          return pipeline.exec();
        });
        if (!got.ok) return got;
        const replies = got.value ?? [];
        for (let k = 0; k < chunk.length; k++) {
          const [error, values] = replies[k] ?? [new Error("no reply"), null];
          if (error) return this.failed(error);
          (values as Array<Buffer | null>).forEach((buffer, j) => {
            if (buffer === null || buffer.length !== AGG_SIZE * 8) return;
            const agg = new Float64Array(AGG_SIZE);
            for (let s = 0; s < AGG_SIZE; s++) agg[s] = buffer.readDoubleLE(s * 8);
            out.get(ids[j])!.push({ start: chunk[k], agg });
          });
        }
      }
      return ok(out);
    });
  }

  async snapshot(source: string): Promise<Result<Snapshot>> {
    const state = await this.readScript(source, { since: null }, false);
    if (!state.ok) return state;
    const metrics = await this.catalogue(source);
    if (!metrics.ok) return metrics;
    const last = await this.call(() => this.redis.hgetallBuffer(this.key(source, "last")));
    if (!last.ok) return last;
    const latest: Snapshot["latest"] = {};
    for (const id of Object.keys(last.value).sort()) {
      const packed = last.value[id];
      if (packed.length === 16) latest[id] = { t: packed.readDoubleLE(0), v: packed.readDoubleLE(8) };
    }
    const { epoch, seq } = state.value.position;
    return ok({ source, epoch, seq, serverTime: this.options.clock(), metrics: metrics.value, latest });
  }

  async sources(): Promise<Result<SourceState[]>> {
    const names = await this.call(() => this.redis.smembers(`${this.prefix}:sources`));
    if (!names.ok) return names;
    const out: SourceState[] = [];
    for (const name of names.value.sort()) {
      if (checkSource(name) !== undefined) continue;
      const state = await this.state(name);
      if (!state.ok) return state;
      out.push(state.value);
    }
    return ok(out);
  }

  async reset(source: string): Promise<Result<SourceState>> {
    const read = await this.readScript(source, { since: null }, true);
    if (!read.ok) return read;
    return this.state(source);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const tail of this.tails.values()) tail.stop();
    this.tails.clear();
    this.redis.disconnect();
  }

  // --- internals used by Tail ----------------------------------------------------------------

  /** A blocking connection for one feed. */
  blockingConnection(): Redis {
    const connection = new Redis({
      ...this.connectionOptions,
      commandTimeout: undefined,
      // A blocked XREAD that Redis never answers (a stopped process) fails after its BLOCK
      // time plus this grace, instead of hanging the feed.
      blockingTimeout: 60_000,
      blockingTimeoutGrace: 2_000,
    });
    connection.on("error", () => undefined);
    return connection;
  }

  streamKey(source: string): string {
    return this.key(source, "f");
  }

  get blockMs(): number {
    return this.tailBlockMs;
  }

  /** How long a feed waits for its connection before it reports the store unavailable. */
  get connectWaitMs(): number {
    return this.connectionOptions.connectTimeout ?? 2000;
  }

  async currentEpoch(source: string): Promise<Result<string | null>> {
    return this.call(() => this.redis.hget(this.key(source, "meta"), "e"));
  }

  failed(error: unknown): Result<never> {
    const e = error instanceof Error ? error : new Error(String(error));
    if (e.name === "ReplyError" && !TRANSIENT_REPLY.test(e.message)) return failure("internal", `${this.where} answered: ${e.message}`);
    return this.unavailable(e.message);
  }

  unavailable(reason: string): Result<never> {
    const detail = this.closed ? "the engine is closed" : `${reason}${this.lastError !== reason ? ` (last connection error: ${this.lastError})` : ""}`;
    return failure("unavailable", `${this.where} is unreachable: ${detail}`);
  }

  deliver(source: string, listeners: ReadonlySet<FeedListener>, event: FeedEvent): void {
    deliver(listeners, event, source, this.options.log);
  }

  // --- private -----------------------------------------------------------------------------

  /** The first ARGV of the append and read scripts: what the epoch rule and retention need. */
  private epochArgs(now: number): Array<string | number> {
    const { retentionMs, maxFrames, maxBytes } = this.options.retention;
    return [this.runId, newEpochName(now), Math.floor(now), retentionMs, maxFrames, maxBytes];
  }

  private key(source: string, part: string): string {
    return `${this.prefix}:{${source}}:${part}`;
  }

  private bucketKey(source: string, resolutionMs: number, start: number): string {
    return `${this.prefix}:{${source}}:r${resolutionMs}:${start}`;
  }

  private cache(source: string): SourceCache {
    let cache = this.caches.get(source);
    if (cache === undefined) this.caches.set(source, (cache = { catalogue: new Map(), version: 0, stale: true }));
    return cache;
  }

  private forgetConnection(): void {
    // Whatever comes next may be another Redis (restarted, failed over): its run_id must be
    // learned again, and what this gateway remembers of catalogues may be gone.
    this.runId = "";
    this.caches.clear();
    this.knownSources.clear();
  }

  private async learnRunId(): Promise<void> {
    const info = await this.call(() => this.redis.info("server"));
    if (!info.ok) return;
    const match = /run_id:([0-9a-f]+)/.exec(info.value);
    if (match !== null) this.runId = match[1];
  }

  private async ensureSource(source: string): Promise<Result<never> | undefined> {
    const bad = checkSource(source);
    if (bad !== undefined) return bad as Result<never>;
    if (this.knownSources.has(source)) return undefined;
    const setKey = `${this.prefix}:sources`;
    const member = await this.call(() => this.redis.sismember(setKey, source));
    if (!member.ok) return member;
    if (member.value !== 1) {
      const count = await this.call(() => this.redis.scard(setKey));
      if (!count.ok) return count;
      const { maxSources } = this.options;
      if (count.value >= maxSources) return failure("unknown_source", `this engine already holds its most sources (${maxSources})`);
      const added = await this.call(() => this.redis.sadd(setKey, source));
      if (!added.ok) return added;
    }
    this.knownSources.add(source);
    return undefined;
  }

  private async declare(
    source: string,
    cache: SourceCache,
    declarations: Array<[string, MetricDeclaration | undefined]>,
  ): Promise<Result<{ added: MetricInfo[]; changed: MetricInfo[]; refused: string[] }>> {
    const args: Array<string | number> = [this.options.maxSeries, declarations.length];
    for (const [id, declaration] of declarations) {
      const set = declaration?.set;
      args.push(id, JSON.stringify(newMetricInfo(id, declaration)), set !== undefined && Object.keys(set).length > 0 ? JSON.stringify(set) : "");
    }
    const reply = await this.script(CATALOGUE_SCRIPT, [this.key(source, "cat"), this.key(source, "meta")], args);
    if (!reply.ok) return reply;
    const values = reply.value as Array<string | number>;
    const version = Number(values[0]);
    if (version > cache.version) {
      cache.version = version;
      cache.stale = true;
    }
    const added: MetricInfo[] = [];
    const changed: MetricInfo[] = [];
    const refused: string[] = [];
    declarations.forEach(([id], j) => {
      const status = values[1 + 2 * j];
      const info = status === "r" ? undefined : parseInfo(id, String(values[2 + 2 * j]));
      if (status === "r") refused.push(id);
      if (info === undefined) return;
      cache.catalogue.set(id, info);
      if (status === "a") added.push(info);
      else if (status === "c") changed.push(info);
    });
    return ok({ added, changed, refused });
  }

  private async catalogueSize(source: string): Promise<Result<number>> {
    return this.call(() => this.redis.hlen(this.key(source, "cat")));
  }

  /** Runs the read script: the state after retention, and entries after a cursor. */
  private async readScript(
    source: string,
    options: ReadOptions,
    reset: boolean,
  ): Promise<Result<{ position: Omit<SourceState, "source" | "series">; entries: StreamEntry[]; more: boolean }>> {
    const bad = await this.ensureSource(source);
    if (bad !== undefined) return bad;
    const now = this.options.clock();
    const since = options.since;
    const reply = await this.script(
      READ_SCRIPT,
      [this.key(source, "meta"), this.key(source, "f"), this.key(source, "ti")],
      [
        ...this.epochArgs(now),
        since === null || since === undefined ? "" : Math.floor(since),
        options.epoch ?? "",
        Math.max(1, options.max ?? 2000),
        options.maxBytes ?? 8 * 1024 * 1024,
        reset ? "1" : "0",
      ],
    );
    if (!reply.ok) return reply;
    const values = reply.value as unknown[];
    const [epoch, fresh, actual, seq, oldest, n, b, more] = values as [string, number, string, number, number, number, number, number];
    if (actual !== "") this.runId = actual;
    if (fresh === 1) {
      const cache = this.caches.get(source);
      if (cache !== undefined) {
        cache.catalogue.clear();
        cache.stale = true;
      }
    }
    return ok({
      position: { epoch, seq: Number(seq), oldestSeq: Number(oldest), retainedFrames: Number(n), retainedBytes: Number(b) },
      entries: values.slice(8) as StreamEntry[],
      more: Number(more) === 1,
    });
  }

  /** EVALSHA, falling back to EVAL when Redis does not know the script (first use, restart). */
  private async script(lua: string, keys: string[], args: Array<string | Buffer | number>): Promise<Result<unknown>> {
    let sha = this.shas.get(lua);
    if (sha !== undefined) {
      try {
        return ok(await this.redis.evalsha(sha, keys.length, ...keys, ...args));
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith("NOSCRIPT"))) return this.failed(error);
      }
    }
    const loaded = await this.call(() => this.redis.script("LOAD", lua) as Promise<string>);
    if (!loaded.ok) return loaded;
    sha = loaded.value;
    this.shas.set(lua, sha);
    return this.call(() => this.redis.evalsha(sha, keys.length, ...keys, ...args));
  }

  private async call<T>(run: () => Promise<T>): Promise<Result<T>> {
    if (this.closed) return this.unavailable("closed");
    try {
      return ok(await run());
    } catch (error) {
      return this.failed(error);
    }
  }
}

/** Resolves when `connection` is ready, or after `timeoutMs` (the next command then fails, as it should). */
async function whenReady(connection: Redis, timeoutMs: number): Promise<void> {
  if (connection.status === "ready") return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      connection.off("ready", done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    connection.once("ready", done);
  });
}

/** A stream entry as XRANGE / XREAD return it: [id, [field, value, ...]]. */
type StreamEntry = [string, string[]];

function entryFields(fields: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i]] = fields[i + 1];
  return out;
}

function entryFrame([id, fields]: StreamEntry): EncodedFrame {
  const f = entryFields(fields);
  return EncodedFrame.fromBody(Number.parseInt(id, 10), f.k === "e" ? "events" : "data", f.b ?? "", Number(f.a), Number(f.z));
}

function parseInfo(id: string, json: string): MetricInfo | undefined {
  try {
    const parsed = JSON.parse(json) as Partial<MetricInfo>;
    const info: MetricInfo = {
      id,
      label: String(parsed.label ?? id),
      unit: String(parsed.unit ?? ""),
      kind: parsed.kind ?? "gauge",
      rateHz: typeof parsed.rateHz === "number" ? parsed.rateHz : 0,
    };
    if (typeof parsed.group === "string") info.group = parsed.group;
    return info;
  } catch {
    return undefined;
  }
}

/**
 * One gateway's tail of one source: `XREAD BLOCK` from the last seq it delivered, on its own
 * connection, handing each batch of frames to every local listener.
 */
class Tail {
  readonly listeners = new Set<FeedListener>();
  private running = false;
  private connection: Redis | undefined;
  private down = false;
  /** Set by an epoch change until the first frame of the new epoch arrives. */
  private fromEpochStart = false;

  constructor(
    private readonly engine: RedisEngine,
    private readonly source: string,
    public epoch: string,
    public seq: number,
  ) {}

  start(): void {
    this.running = true;
    this.connection = this.engine.blockingConnection();
    void this.loop();
  }

  stop(): void {
    this.running = false;
    this.connection?.disconnect();
  }

  private emit(event: FeedEvent): void {
    this.engine.deliver(this.source, this.listeners, event);
  }

  private async loop(): Promise<void> {
    const key = this.engine.streamKey(this.source);
    let backoff = 50;
    while (this.running) {
      let reply: Array<[string, StreamEntry[]]> | null;
      try {
        // Commands are not queued while connecting: wait for the connection, not an error.
        await whenReady(this.connection!, this.engine.connectWaitMs);
        reply = (await this.connection!.xread("COUNT", 1000, "BLOCK", this.engine.blockMs, "STREAMS", key, `${this.seq}-0`)) as Array<[string, StreamEntry[]]> | null;
      } catch (error) {
        if (!this.running) return;
        if (!this.down) {
          this.down = true;
          const failed = this.engine.failed(error);
          if (!failed.ok) this.emit({ type: "unavailable", error: failed.error as EngineError });
        }
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, 1000);
        continue;
      }
      if (!this.running) return;
      backoff = 50;
      if (this.down) {
        this.down = false;
        this.emit({ type: "available" });
      }
      if (reply === null || reply.length === 0) {
        // Nothing new: maybe a new epoch whose seqs have not yet passed ours.
        const current = await this.engine.currentEpoch(this.source);
        if (current.ok && current.value !== null && current.value !== this.epoch) this.newEpoch(current.value);
        continue;
      }
      const frames: EncodedFrame[] = [];
      let switchTo: string | undefined;
      for (const entry of reply[0][1]) {
        const epoch = entryFields(entry[1]).e;
        if (epoch !== undefined && epoch !== this.epoch) {
          // A new epoch: deliver what came before, then read the new stream from its start.
          switchTo = epoch;
          break;
        }
        const frame = entryFrame(entry);
        if (frame.seq !== this.seq + 1) {
          if (frames.length > 0) this.emit({ type: "frames", epoch: this.epoch, frames: frames.splice(0) });
          // After an epoch change the hole is the new epoch's evicted start; otherwise this
          // feed fell behind retention.
          const reason = this.seq === 0 && this.fromEpochStart ? "epoch" : "retention";
          this.emit({ type: "gap", epoch: this.epoch, gap: { type: "gap", from: this.seq + 1, to: frame.seq - 1, reason } });
        }
        this.fromEpochStart = false;
        frames.push(frame);
        this.seq = frame.seq;
      }
      if (frames.length > 0) this.emit({ type: "frames", epoch: this.epoch, frames });
      if (switchTo !== undefined) this.newEpoch(switchTo);
    }
  }

  private newEpoch(epoch: string): void {
    const previous = this.epoch;
    this.epoch = epoch;
    this.seq = 0;
    this.fromEpochStart = true;
    this.emit({ type: "epoch", epoch, previous });
  }
}
