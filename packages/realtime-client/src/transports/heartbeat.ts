/**
 * Application-level heartbeat: detects a silent (half-open) WebSocket and measures round-trip
 * time and the server's clock offset.
 *
 * Why not rely on TCP or the WebSocket protocol: a laptop that sleeps, a NAT that forgets the
 * connection or a proxy that stalls leaves a socket that looks open and never delivers another
 * byte; browsers expose no WebSocket ping. So the client sends `ping` every `intervalMs` and
 * treats ANY received message as a sign of life.
 *
 * The deadline is wall-clock based: every timer tick compares `clock.now() - lastMessageAt`
 * with `timeoutMs` instead of counting missed ticks, because background tabs throttle timers
 * to once per second and later once per minute; a tick-counting watchdog would then take
 * minutes to notice, or fire spuriously after a long freeze. Timers are armed for the next
 * ping or the deadline, whichever comes first, so a stall is noticed at `timeoutMs` (plus
 * whatever throttling the host imposes), not at the next multiple of `intervalMs`.
 *
 * @module
 */

import type { Clock } from "../scheduling/clock.js";
import type { PingMessage, PongFrame } from "@pulseboard/protocol";

/** One RTT / clock-offset measurement. */
export interface HeartbeatSample {
  /** Round-trip time of this ping, in ms. */
  rttMs: number;
  /**
   * Estimated `serverClock - clientClock`, in ms, from the lowest-RTT sample among the last
   * few (the NTP rule: the fastest exchange has the least asymmetric delay in it).
   */
  clockOffsetMs: number;
}

/** Options of {@link Heartbeat}. */
export interface HeartbeatConfig {
  /** Time between pings, in ms. */
  intervalMs: number;
  /** Silence after which the connection is declared dead, in ms. */
  timeoutMs: number;
  clock: Clock;
  /** Sends one ping on the current connection. */
  sendPing: (ping: PingMessage) => void;
  /** Called once when the deadline passes; the heartbeat is stopped by then. */
  onTimeout: (silentMs: number) => void;
}

/** How many recent samples the clock offset is chosen from. */
const OFFSET_SAMPLES = 8;

/**
 * One heartbeat per connection: `start()` when the connection opens, `noteMessage()` on every
 * message, `handlePong()` on pongs, `stop()` when the connection goes away.
 *
 * @example
 * ```ts
 * const heartbeat = new Heartbeat({
 *   intervalMs: 5000, timeoutMs: 12000, clock: systemClock,
 *   sendPing: (ping) => socket.send(JSON.stringify(ping)),
 *   onTimeout: () => socket.close(),
 * });
 * heartbeat.start();
 * ```
 */
export class Heartbeat {
  private readonly config: HeartbeatConfig;
  private timer: unknown = null;
  private running = false;
  private lastMessageAt = 0;
  private lastPingAt = 0;
  private nextId = 1;
  /** Ids at or above this one were sent by the current run; older pongs are ignored. */
  private firstIdOfRun = 1;
  private readonly recent: { rttMs: number; offsetMs: number }[] = [];

  /** @param config - see {@link HeartbeatConfig}. */
  constructor(config: HeartbeatConfig) {
    this.config = config;
  }

  /** Whether the watchdog is armed. */
  get active(): boolean {
    return this.running;
  }

  /** Arm the watchdog and send the first ping at once (so RTT is known early). */
  start(): void {
    this.stop();
    this.running = true;
    this.firstIdOfRun = this.nextId;
    const now = this.config.clock.now();
    this.lastMessageAt = now;
    this.ping(now);
    this.schedule(now);
  }

  /** Disarm. Pongs of this run that arrive later are ignored. */
  stop(): void {
    this.running = false;
    if (this.timer !== null) {
      this.config.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    this.firstIdOfRun = this.nextId;
  }

  /**
   * Run the deadline check now instead of at the next timer tick, for example when the page
   * becomes visible after the machine slept (timers may have been frozen meanwhile).
   */
  check(): void {
    if (!this.running) return;
    if (this.timer !== null) this.config.clock.clearTimeout(this.timer);
    this.tick();
  }

  /** Any message from the server proves the connection alive. */
  noteMessage(): void {
    this.lastMessageAt = this.config.clock.now();
  }

  /**
   * Turn a pong into a measurement.
   * @param pong - the server's reply.
   * @returns the sample, or null for a pong of an earlier run or with an impossible time.
   */
  handlePong(pong: PongFrame): HeartbeatSample | null {
    if (pong.id < this.firstIdOfRun || pong.id >= this.nextId) return null;
    const now = this.config.clock.now();
    const rttMs = now - pong.clientTime;
    if (!(rttMs >= 0)) return null;
    // NTP-style: the server read its clock about half a round trip after we sent the ping.
    const offsetMs = pong.serverTime - (pong.clientTime + rttMs / 2);
    this.recent.push({ rttMs, offsetMs });
    if (this.recent.length > OFFSET_SAMPLES) this.recent.shift();
    let best = this.recent[0];
    for (const sample of this.recent) if (sample.rttMs < best.rttMs) best = sample;
    return { rttMs, clockOffsetMs: best.offsetMs };
  }

  private ping(now: number): void {
    this.lastPingAt = now;
    this.config.sendPing({ type: "ping", id: this.nextId++, clientTime: now });
  }

  private schedule(now: number): void {
    const nextPingAt = this.lastPingAt + this.config.intervalMs;
    const deadline = this.lastMessageAt + this.config.timeoutMs;
    const delay = Math.max(0, Math.min(nextPingAt, deadline) - now);
    this.timer = this.config.clock.setTimeout(this.tick, delay);
  }

  private readonly tick = (): void => {
    this.timer = null;
    if (!this.running) return;
    const now = this.config.clock.now();
    const silentMs = now - this.lastMessageAt;
    if (silentMs >= this.config.timeoutMs) {
      this.stop();
      this.config.onTimeout(silentMs);
      return;
    }
    if (now - this.lastPingAt >= this.config.intervalMs) this.ping(now);
    this.schedule(now);
  };
}
