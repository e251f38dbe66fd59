/**
 * The server's side of the protocol, scripted: typed builders for the frames a test feeds a
 * {@link FakeSocket} (`hello` with a catalogue, `subscribed`, `data`, `events`), the opening
 * exchange in one call ({@link handshake}), and a running stream that numbers frames and
 * moves time for you ({@link createStreamScript}).
 *
 * The builders share one deterministic world: the catalogue {@link TEST_CATALOGUE}, stream
 * time starting at {@link TEST_START_TIME}, one tick of {@link TEST_TICK_MS} per frame, so
 * frame `seq` covers the tick ending at `TEST_START_TIME + seq * TEST_TICK_MS`, and values from
 * {@link sampleValue}. Override any field where a test needs something else.
 *
 * @module
 */

import type {
  DataFrame,
  EventsFrame,
  HelloFrame,
  MetricInfo,
  SeriesColumns,
  StreamEvent,
  SubscribedFrame,
  SubscribeMessage,
} from "@pulseboard/protocol";
import type { FakeSocket } from "./fake-websocket.js";

/**
 * Stream time of seq 0 in the builders' world, in epoch milliseconds (2023-11-14T22:13:20Z).
 *
 * @example
 * ```ts
 * vi.useFakeTimers({ now: TEST_START_TIME }); // the client's clock agrees with the frames
 * ```
 */
export const TEST_START_TIME = 1_700_000_000_000;

/**
 * Milliseconds of stream time per frame (the `tickMs` of {@link helloFrame}).
 *
 * @example
 * ```ts
 * expect(dataFrame(3).series["cpu.usage"].t).toEqual([TEST_START_TIME + 3 * TEST_TICK_MS]);
 * ```
 */
export const TEST_TICK_MS = 100;

/**
 * The epoch of {@link helloFrame} unless overridden.
 *
 * @example
 * ```ts
 * expect(manager.stats().epoch).toBe(TEST_EPOCH);
 * ```
 */
export const TEST_EPOCH = "epoch-1";

/**
 * The catalogue of {@link helloFrame}: two gauges and a rate, 10 samples per second each.
 * Frozen; copy it (`[...TEST_CATALOGUE]`) where a mutable `MetricInfo[]` is needed.
 *
 * @example
 * ```ts
 * socket.receive(helloFrame({ metrics: [...TEST_CATALOGUE, { id: "disk.usage", label: "Disk", unit: "%", kind: "gauge", rateHz: 10 }] }));
 * ```
 */
export const TEST_CATALOGUE: readonly MetricInfo[] = Object.freeze(
  (
    [
      { id: "cpu.usage", label: "CPU usage", unit: "%", kind: "gauge", group: "system", rateHz: 10 },
      { id: "memory.usage", label: "Memory usage", unit: "%", kind: "gauge", group: "system", rateHz: 10 },
      { id: "requests.rate", label: "Requests", unit: "req/s", kind: "rate", group: "traffic", rateHz: 10 },
    ] satisfies MetricInfo[]
  ).map((info): MetricInfo => Object.freeze(info)),
);

/**
 * The value the builders give metric `id` at time `t`: a pure function, so a test can check
 * every sample a client holds without remembering what it sent.
 *
 * @param id - the metric id.
 * @param t - the sample's time, in epoch milliseconds.
 * @returns the tick number modulo 1000, plus a fraction that depends on `id`.
 *
 * @example
 * ```ts
 * const ring = manager.series("cpu.usage")!;
 * expect(Array.from(ring.values())).toEqual(Array.from(ring.times(), (t) => sampleValue("cpu.usage", t)));
 * ```
 */
export function sampleValue(id: string, t: number): number {
  let offset = 0;
  for (let i = 0; i < id.length; i++) offset = (offset * 31 + id.charCodeAt(i)) % 100;
  return ((t / TEST_TICK_MS) % 1000) + offset / 100;
}

/**
 * A `hello` frame: source `default`, epoch {@link TEST_EPOCH}, seq 0, the catalogue
 * {@link TEST_CATALOGUE}, protocol 1, server time {@link TEST_START_TIME}, 2 minutes of
 * retention, {@link TEST_TICK_MS} per tick.
 *
 * @param overrides - fields to change.
 * @returns a new frame.
 *
 * @example
 * ```ts
 * socket.receive(helloFrame({ seq: 20, epoch: "epoch-2" })); // the server restarted its stream
 * ```
 */
export function helloFrame(overrides: Partial<HelloFrame> = {}): HelloFrame {
  return {
    type: "hello",
    protocol: 1,
    source: "default",
    epoch: TEST_EPOCH,
    serverTime: TEST_START_TIME,
    seq: 0,
    oldestSeq: 1,
    retentionMs: 120_000,
    tickMs: TEST_TICK_MS,
    metrics: [...TEST_CATALOGUE],
    ...overrides,
  };
}

/**
 * A `subscribed` frame: every metric (`"*"`), live only (`since: null`), seq 0.
 *
 * @param overrides - fields to change: usually `since` (what the server applied) and `seq`
 *   (its newest frame).
 * @returns a new frame.
 *
 * @example
 * ```ts
 * socket.receive(subscribedFrame({ since: 15, seq: 20 })); // replay of 16..20 follows
 * ```
 */
export function subscribedFrame(overrides: Partial<SubscribedFrame> = {}): SubscribedFrame {
  return { type: "subscribed", metrics: "*", since: null, seq: 0, ...overrides };
}

/**
 * A `data` frame number `seq`. Its samples lie at `TEST_START_TIME + seq * TEST_TICK_MS`, so
 * frames built for consecutive seqs form a gapless series whatever order they are sent in
 * (replays, duplicates and gaps are easy to script).
 *
 * @param seq - the frame's seq.
 * @param series - which metrics the frame carries:
 *   omitted, every metric of {@link TEST_CATALOGUE}; a list of ids, those; in both cases one
 *   sample each, valued by {@link sampleValue}. Or an object: a number is one sample with
 *   that value at the frame's time, `{ t, v }` columns are used as they are.
 * @returns a new frame.
 *
 * @example
 * ```ts
 * socket.receive(dataFrame(1));                                 // every catalogue metric
 * socket.receive(dataFrame(2, ["cpu.usage"]));                  // one metric
 * socket.receive(dataFrame(3, { "cpu.usage": 42 }));            // a chosen value
 * socket.receive(dataFrame(4, { "cpu.usage": { t: [TEST_START_TIME + 350, TEST_START_TIME + 400], v: [1, 2] } }));
 * ```
 */
export function dataFrame(seq: number, series?: readonly string[] | Readonly<Record<string, number | SeriesColumns>>): DataFrame {
  const t = TEST_START_TIME + seq * TEST_TICK_MS;
  const frame: DataFrame = { type: "data", seq, series: {} };
  if (series === undefined || Array.isArray(series)) {
    const ids: readonly string[] = series ?? TEST_CATALOGUE.map((m) => m.id);
    for (const id of ids) frame.series[id] = { t: [t], v: [sampleValue(id, t)] };
    return frame;
  }
  for (const [id, value] of Object.entries(series as Readonly<Record<string, number | SeriesColumns>>)) {
    frame.series[id] = typeof value === "number" ? { t: [t], v: [value] } : { t: [...value.t], v: [...value.v] };
  }
  return frame;
}

function buildEvents(seq: number, t: number, firstId: number, events: number | readonly Partial<StreamEvent>[]): StreamEvent[] {
  const list = typeof events === "number" ? Array.from({ length: events }, () => ({})) : events;
  return list.map((event, i) => ({ id: firstId + i, t, level: "info", kind: "log", source: "api", text: `event ${seq}.${i}`, ...event }));
}

/**
 * An `events` frame number `seq`. Each event defaults to id `seq * 1000 + i` (unique while a
 * frame holds fewer than 1000), time `TEST_START_TIME + seq * TEST_TICK_MS`, level `info`,
 * kind `log`, source `api` and text `event <seq>.<i>`.
 *
 * @param seq - the frame's seq.
 * @param events - how many default events, or the events, each with the fields it changes.
 *   @default 1
 * @returns a new frame.
 *
 * @example
 * ```ts
 * socket.receive(eventsFrame(5, 3));                                            // ids 5000, 5001, 5002
 * socket.receive(eventsFrame(6, [{ level: "error", kind: "alert", text: "disk full" }]));
 * ```
 */
export function eventsFrame(seq: number, events: number | readonly Partial<StreamEvent>[] = 1): EventsFrame {
  return { type: "events", seq, events: buildEvents(seq, TEST_START_TIME + seq * TEST_TICK_MS, seq * 1000, events) };
}

/**
 * Options of {@link handshake}.
 *
 * @example
 * ```ts
 * handshake(socket, { hello: { seq: 20 }, since: 15 }); // resume: the server replays 16..20
 * ```
 */
export interface HandshakeOptions {
  /** Fields to change in {@link helloFrame}'s defaults (a whole `HelloFrame` works too). */
  hello?: Partial<HelloFrame>;
  /**
   * The `since` the `subscribed` frame reports. By default the server applies what the client
   * asked for: the `since` of its subscribe (null when absent).
   */
  since?: number | null;
}

/**
 * Play the server's side of a connection's start: accept the upgrade (if the socket is still
 * connecting), send `hello`, check that the client answered with a `subscribe`, and confirm it
 * with `subscribed` (the metrics the client asked for, `seq` of the hello).
 *
 * @param socket - a socket the client created.
 * @param options - the hello's fields and the applied `since`.
 * @returns the client's subscribe message.
 * @throws Error if the client sent no subscribe after the hello (for example because it
 *   rejected the hello's protocol version).
 *
 * @example
 * ```ts
 * manager.connect();
 * const subscribe = handshake(await ws.waitForSocket(), { hello: { seq: 10 } });
 * expect(subscribe).toMatchObject({ metrics: "*", since: null });
 * expect(manager.state).toBe("open");
 * ```
 */
export function handshake(socket: FakeSocket, options: HandshakeOptions = {}): SubscribeMessage {
  if (socket.readyState === 0) socket.acceptUpgrade();
  const before = socket.sent.length;
  const hello = helloFrame(options.hello);
  socket.receive(hello);
  let subscribe: SubscribeMessage | undefined;
  for (const message of socket.sent.slice(before)) if (message.type === "subscribe") subscribe = message;
  if (subscribe === undefined) {
    throw new Error(`handshake: the client sent no subscribe after hello (sent: ${JSON.stringify(socket.sent.slice(before))})`);
  }
  const since = options.since !== undefined ? options.since : (subscribe.since ?? null);
  socket.receive(subscribedFrame({ metrics: subscribe.metrics, since, seq: hello.seq }));
  return subscribe;
}

/**
 * Options of {@link createStreamScript}.
 *
 * @example
 * ```ts
 * const script = createStreamScript({ catalogue: hosts, epoch: "e7", startTime: Date.now(), tickMs: 1000 });
 * ```
 */
export interface StreamScriptOptions {
  /** The catalogue of `hello()` and of `data()` without values. @default TEST_CATALOGUE */
  catalogue?: readonly MetricInfo[];
  /** @default TEST_EPOCH */
  epoch?: string;
  /** Stream time before the first sample. @default TEST_START_TIME */
  startTime?: number;
  /** Time between consecutive samples of a metric. @default TEST_TICK_MS */
  tickMs?: number;
}

/**
 * A running stream: numbers frames 1, 2, 3... and moves stream time forward, so a test only
 * says what each frame carries.
 *
 * @example
 * ```ts
 * const script = createStreamScript();
 * handshake(socket, { hello: script.hello() });
 * socket.receive(script.data({ "cpu.usage": [1, 2, 3] })); // seq 1: three samples, a tick apart
 * socket.receive(script.data());                            // seq 2: every metric, one sample after them
 * socket.receive(script.events([{ text: "deployed" }]));    // seq 3
 * ```
 */
export interface StreamScript {
  /** The seq of the newest frame built (0 before the first). */
  readonly seq: number;
  /** The time of the newest sample built (`startTime` before the first). */
  readonly time: number;
  /** The script's catalogue. */
  readonly catalogue: readonly MetricInfo[];
  /**
   * A `hello` announcing where the stream stands: the script's catalogue, epoch, seq and time.
   * @param overrides - fields to change (the script's own state does not change).
   */
  hello(overrides?: Partial<HelloFrame>): HelloFrame;
  /**
   * A `subscribed` at the stream's seq.
   * @param since - the `since` the server applied. @default null
   */
  subscribed(since?: number | null): SubscribedFrame;
  /**
   * The next `data` frame. Given values, each metric's samples lie one tick apart after the
   * newest sample so far, and time moves past the longest list. Without, every catalogue
   * metric gets one sample, one tick later, valued by {@link sampleValue}.
   * @param values - values per metric id: one number or a list.
   */
  data(values?: Readonly<Record<string, number | readonly number[]>>): DataFrame;
  /**
   * The next `events` frame, stamped with the time of the newest sample. Event ids count
   * 1, 2, 3... over the script's frames, however many a frame holds; the other defaults are
   * {@link eventsFrame}'s.
   * @param events - how many default events, or the events with the fields each changes. @default 1
   */
  events(events?: number | readonly Partial<StreamEvent>[]): EventsFrame;
}

/**
 * Create a {@link StreamScript}. With the defaults, `script.data()` for seq `n` equals
 * `dataFrame(n)`.
 *
 * @param options - catalogue, epoch, start time and tick.
 * @returns a script at seq 0.
 *
 * @example
 * ```ts
 * const script = createStreamScript();
 * manager.connect();
 * const socket = await ws.waitForSocket();
 * handshake(socket, { hello: script.hello() });
 * for (let i = 0; i < 10; i++) socket.receive(script.data());
 * frames.runFrame();
 * expect(manager.series("cpu.usage")?.length).toBe(10);
 * ```
 */
export function createStreamScript(options: StreamScriptOptions = {}): StreamScript {
  const { catalogue = TEST_CATALOGUE, epoch = TEST_EPOCH, startTime = TEST_START_TIME, tickMs = TEST_TICK_MS } = options;
  let seq = 0;
  let time = startTime;
  let nextEventId = 1;
  return {
    get seq() {
      return seq;
    },
    get time() {
      return time;
    },
    catalogue,
    hello(overrides = {}) {
      return helloFrame({ epoch, seq, serverTime: time, tickMs, metrics: [...catalogue], ...overrides });
    },
    subscribed(since = null) {
      return subscribedFrame({ since, seq });
    },
    data(values) {
      const frame: DataFrame = { type: "data", seq: ++seq, series: {} };
      if (values === undefined) {
        time += tickMs;
        for (const { id } of catalogue) frame.series[id] = { t: [time], v: [sampleValue(id, time)] };
        return frame;
      }
      let ticks = 0;
      for (const [id, value] of Object.entries(values)) {
        const v = typeof value === "number" ? [value] : [...value];
        frame.series[id] = { t: v.map((_, i) => time + (i + 1) * tickMs), v };
        ticks = Math.max(ticks, v.length);
      }
      time += ticks * tickMs;
      return frame;
    },
    events(events = 1) {
      const frame: EventsFrame = { type: "events", seq: ++seq, events: buildEvents(seq, time, nextEventId, events) };
      nextEventId += frame.events.length;
      return frame;
    },
  };
}
