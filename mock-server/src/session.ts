/**
 * One WebSocket client: its subscription, its position in the stream, and its manners.
 *
 * Delivery is cursor-driven. The session remembers `nextSeq`, the next frame it owes the
 * client, and `deliver()` sends retained frames from there up to the stream's newest. That one
 * loop serves live streaming (usually one or two new frames per tick), replay after a
 * subscribe with `since`, and catching up after a stall. Two regimes:
 *
 * - Live: frames are sent as produced. A client that does not read lets `bufferedAmount` grow;
 *   past `maxBufferedBytes` it is closed with 1013 (try again later) rather than letting the
 *   server's memory grow with it.
 * - Catching up (replay, end of a stall): the backlog can be far larger than the buffer cap,
 *   so the loop stops at a high-water mark and continues when the socket has drained. The
 *   backlog stays in the shared retention instead of in this client's buffer. If frames are
 *   evicted while a client catches up, it gets a `gap` for them, never a silent hole.
 *
 * Faults that act per client live here too: `lose-frames` skips stream frames on their way
 * out (the session moves past them as if they were sent, so the client sees a hole in the
 * seqs on a socket that stays open), `drop-hello` loses the hello, and `garbage` is paced by
 * the send buffer so that it tests the client, never this server's own 1013 rule.
 */
import type { WebSocket } from "ws";
import {
  CLOSE_CODES,
  parseClientMessage,
  type ErrorCode,
  type ErrorFrame,
  type GapFrame,
  type PingMessage,
  type PongFrame,
  type SubscribedFrame,
  type ValidSubscribe,
} from "@pulseboard/protocol";
import type { Catalogue } from "./catalogue.js";
import type { FaultController } from "./faults.js";
import { makeSubscription, type Subscription } from "./frame-encoding.js";
import { garbageMessage, type GarbageVariant } from "./garbage.js";
import { describeUnknown, resolveMetrics } from "./subscriptions.js";
import type { Counters } from "./stats.js";
import type { SourceStream } from "./stream.js";

/** Errors within {@link ABUSE_WINDOW_MS} that get a client closed with 1008. */
export const ABUSE_MAX_ERRORS = 20;
export const ABUSE_WINDOW_MS = 10_000;
/** Message rate limit: a bucket of 100 messages refilled at 50 per second. */
const RATE_BURST = 100;
const RATE_PER_SECOND = 50;
/** A catching-up client whose socket has not drained for this long is closed with 1013. */
const DRAIN_TIMEOUT_MS = 10_000;
/** How often queued garbage checks the send buffer for room again. */
const GARBAGE_RETRY_MS = 10;
/** Close codes (docs/protocol.md, "Close codes"); the ones a client must not retry after are the protocol's. */
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY = CLOSE_CODES.policyViolation;
export const CLOSE_TRY_AGAIN_LATER = 1013;

/** What a session needs from the service. */
export interface SessionContext {
  stream: SourceStream;
  catalogue: Catalogue;
  faults: FaultController;
  counters: Counters;
  maxBufferedBytes: number;
  clock: () => number;
  log: (line: string) => void;
  /** Builds the hello frame's JSON (the catalogue part is serialized once per service). */
  helloJson: (stream: SourceStream) => string;
}

/** A message on its way out: JSON text, or its UTF-8 bytes when shared between clients. */
type Payload = string | Buffer;

interface DelayedMessage {
  data: Payload;
  due: number;
  done?: () => void;
}

/** A `garbage` fault's burst, sent as the send buffer makes room for it. */
interface GarbageBurst {
  variant: GarbageVariant;
  /** Index of the next message of the burst. */
  next: number;
  count: number;
}

export class ClientSession {
  private subscription: Subscription | undefined;
  /** Next seq owed to the client (meaningful once subscribed). */
  private nextSeq = 0;
  /** Seq of the newest stream frame written to the client (0 before any): garbage repeats it. */
  private lastSentSeq = 0;
  /** Stream frames still to lose (the `lose-frames` fault with a count). */
  private framesToLose = 0;
  private garbage: GarbageBurst[] = [];
  private garbageTimer: NodeJS.Timeout | undefined;
  private catchingUp = false;
  private waitingForDrain = false;
  private drainTimer: NodeJS.Timeout | undefined;
  private helloSent = false;
  private closed = false;
  private readonly errorTimes: number[] = [];
  private rateTokens = RATE_BURST;
  private rateRefilledAt: number;
  /** Messages held back by the `slow` fault, in send order. */
  private delayed: DelayedMessage[] = [];
  private delayedBytes = 0;
  private delayTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribeFrames: () => void;

  constructor(
    private readonly ws: WebSocket,
    private readonly ctx: SessionContext,
  ) {
    this.rateRefilledAt = ctx.clock();
    this.unsubscribeFrames = ctx.stream.onFrames(() => this.deliver());
    ws.on("message", (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    // WebSocket-level pings (Node clients' heartbeats) are answered by hand so that a stall
    // silences them too, as a half-open connection would.
    ws.on("ping", (data) => {
      if (!this.closed && !ctx.faults.stalled) ws.pong(data);
    });
    ws.on("close", () => this.dispose());
    ws.on("error", () => this.dispose());
    this.sendHello();
  }

  get source(): string {
    return this.ctx.stream.name;
  }

  /** Called when a stall ends: say hello if it was swallowed, then catch up. */
  resume(): void {
    this.sendHello();
    if (this.subscription) this.catchingUp = true;
    this.deliver();
  }

  /** Sends `count` garbage messages (the `garbage` fault), as the send buffer has room. They consume no seq. */
  sendGarbage(count: number, variant: GarbageVariant): void {
    this.garbage.push({ variant, next: 0, count });
    if (this.garbageTimer === undefined) this.sendQueuedGarbage();
  }

  /** The next `count` stream frames owed to this client are lost on the way (the `lose-frames` fault). */
  loseFrames(count: number): void {
    this.framesToLose += count;
  }

  /** Closes with a close frame (graceful shutdown, policy). */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.dispose();
    this.ws.close(code, reason);
  }

  /** Drops the connection without a close frame (the `drop` fault). */
  terminate(): void {
    this.dispose();
    this.ws.terminate();
  }

  /** Sends owed frames: see the file comment for the two regimes. */
  deliver(): void {
    if (!this.subscription || this.closed || this.waitingForDrain || this.ctx.faults.stalled) return;
    const { stream, maxBufferedBytes } = this.ctx;
    const highWater = this.highWater();
    while (this.nextSeq <= stream.seq) {
      const oldest = stream.oldestSeq;
      if (this.nextSeq < oldest) {
        this.sendFrame(JSON.stringify({ type: "gap", from: this.nextSeq, to: oldest - 1, reason: "retention" } satisfies GapFrame));
        this.nextSeq = oldest;
        continue;
      }
      const frame = stream.frame(this.nextSeq)!;
      this.nextSeq += 1;
      if (this.losesFrame()) continue;
      this.lastSentSeq = frame.seq;
      if (this.catchingUp && this.unsentBytes() > highWater && this.nextSeq <= stream.seq) {
        this.waitForDrain(frame.payloadFor(this.subscription));
        return;
      }
      this.sendFrame(frame.payloadFor(this.subscription));
    }
    this.catchingUp = false;
    if (this.unsentBytes() > maxBufferedBytes) this.closeSlowConsumer();
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closed || this.ctx.faults.stalled) return; // a stalled server reads nothing
    this.ctx.counters.messagesReceived += 1;
    if (!this.takeRateToken()) {
      this.sendError("rate_limited", `more than ${RATE_PER_SECOND} messages per second; message ignored`);
      return;
    }
    const parsed = parseClientMessage(data, isBinary);
    if (!parsed.ok) {
      this.sendError(parsed.code, parsed.message);
      return;
    }
    if (parsed.message.type === "ping") this.onPing(parsed.message);
    else this.onSubscribe(parsed.message);
  }

  /**
   * A subscribe replaces the previous one. The new filter applies from the next frame sent.
   * With `since`, delivery restarts after `since` (frames the client already holds may be
   * sent again: it asked for them); without, the stream continues live from the current seq.
   */
  private onSubscribe(message: ValidSubscribe): void {
    const { stream, catalogue } = this.ctx;
    const plan = stream.resolveCursor(message.since, message.epoch);
    if (!plan.ok) {
      this.sendError("bad_since", plan.message);
      return;
    }
    const { known, unknown } = resolveMetrics(catalogue, message.metrics);
    if (unknown.length > 0) this.sendError("unknown_metric", describeUnknown(unknown));
    if (this.closed) return;
    this.subscription = makeSubscription(known, message.events);
    this.send(JSON.stringify({ type: "subscribed", metrics: known, since: plan.since, seq: stream.seq } satisfies SubscribedFrame));
    if (plan.gap) this.sendFrame(JSON.stringify(plan.gap));
    this.nextSeq = plan.nextSeq;
    this.catchingUp = this.nextSeq <= stream.seq;
    this.deliver();
  }

  private onPing(message: PingMessage): void {
    const pong: PongFrame = { type: "pong", id: message.id, clientTime: message.clientTime, serverTime: this.ctx.clock() };
    this.send(JSON.stringify(pong));
  }

  private sendHello(): void {
    if (this.helloSent || this.closed || this.ctx.faults.stalled) return;
    this.helloSent = true;
    // `drop-hello`: lost on the way, so it is never sent again (not even after a stall).
    if (this.ctx.faults.droppingHello) {
      this.ctx.counters.hellosDropped += 1;
      return;
    }
    this.send(this.ctx.helloJson(this.ctx.stream));
  }

  /** Whether the `lose-frames` fault takes the stream frame about to be sent. */
  private losesFrame(): boolean {
    if (!this.ctx.faults.losingFrames && this.framesToLose === 0) return false;
    if (this.framesToLose > 0) this.framesToLose -= 1;
    this.ctx.counters.framesLost += 1;
    return true;
  }

  /**
   * Sends queued garbage while the send buffer has room for it, leaving the high-water mark
   * free for the live stream. Sent all at once, a burst can exceed the buffer cap by itself
   * (a `mixed` burst of 32 holds two 6 MiB `huge` messages, 12 MiB against the default
   * 8 MiB), and the server would close its own client with 1013 for the fault it injected.
   * Paced, a burst waits for the client to read; a message that could never fit (a cap below
   * 6 MiB plus the high-water mark) is skipped and counted in `garbageSkipped`.
   */
  private sendQueuedGarbage(): void {
    this.garbageTimer = undefined;
    const { counters, clock, maxBufferedBytes } = this.ctx;
    const limit = maxBufferedBytes - this.highWater();
    while (!this.closed && this.garbage.length > 0) {
      const burst = this.garbage[0];
      // Built only now, so its seq is that of a frame the client has by the time it arrives.
      const text = garbageMessage(burst.variant, burst.next, this.lastSentSeq, clock());
      if (text.length > limit) {
        counters.garbageSkipped += 1;
      } else if (this.unsentBytes() + text.length > limit) {
        this.garbageTimer = setTimeout(() => this.sendQueuedGarbage(), GARBAGE_RETRY_MS);
        this.garbageTimer.unref();
        return;
      } else {
        this.send(text);
        counters.garbageSent += 1;
      }
      burst.next += 1;
      if (burst.next >= burst.count) this.garbage.shift();
    }
  }

  /** Bytes a catching-up client may have unsent before delivery waits for a drain. */
  private highWater(): number {
    return Math.min(1024 * 1024, this.ctx.maxBufferedBytes / 2);
  }

  /** Sends an error frame and closes the client with 1008 if it keeps erring. */
  private sendError(code: ErrorCode, message: string): void {
    this.send(JSON.stringify({ type: "error", code, message } satisfies ErrorFrame));
    this.ctx.counters.errorsSent += 1;
    const now = this.ctx.clock();
    this.errorTimes.push(now);
    while (this.errorTimes.length > 0 && this.errorTimes[0] <= now - ABUSE_WINDOW_MS) this.errorTimes.shift();
    if (this.errorTimes.length >= ABUSE_MAX_ERRORS) {
      this.ctx.counters.abusiveClientsClosed += 1;
      this.ctx.log(`closing a client of ${this.source}: ${ABUSE_MAX_ERRORS} errors in ${ABUSE_WINDOW_MS / 1000} s`);
      this.close(CLOSE_POLICY, "too many protocol errors");
    }
  }

  private takeRateToken(): boolean {
    const now = this.ctx.clock();
    this.rateTokens = Math.min(RATE_BURST, this.rateTokens + ((now - this.rateRefilledAt) * RATE_PER_SECOND) / 1000);
    this.rateRefilledAt = now;
    if (this.rateTokens < 1) return false;
    this.rateTokens -= 1;
    return true;
  }

  private sendFrame(data: Payload, done?: () => void): void {
    this.ctx.counters.framesSent += 1;
    this.send(data, done);
  }

  /** Sends the frame and resumes delivery once the socket has written it out. */
  private waitForDrain(data: Payload): void {
    this.waitingForDrain = true;
    this.drainTimer = setTimeout(() => this.closeSlowConsumer(), DRAIN_TIMEOUT_MS);
    this.drainTimer.unref();
    this.sendFrame(data, () => {
      clearTimeout(this.drainTimer);
      this.waitingForDrain = false;
      this.deliver();
    });
  }

  private closeSlowConsumer(): void {
    if (this.closed) return;
    this.ctx.counters.slowConsumersClosed += 1;
    this.ctx.log(`closing a slow client of ${this.source}: ${this.unsentBytes()} bytes unsent`);
    this.close(CLOSE_TRY_AGAIN_LATER, "send buffer full: client too slow");
  }

  /** Bytes accepted for this client but not yet handed to the kernel. */
  private unsentBytes(): number {
    return this.ws.bufferedAmount + this.delayedBytes;
  }

  /** The one place that writes to the socket (through the `slow` fault's delay, if any). */
  private send(data: Payload, done?: () => void): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ctx.counters.bytesSent += data.length;
    const delay = this.ctx.faults.slowDelayMs;
    if (delay > 0 || this.delayed.length > 0) {
      // Once anything is delayed, later messages queue behind it so the order never changes.
      this.delayed.push({ data, due: this.ctx.clock() + delay, done });
      this.delayedBytes += data.length;
      this.scheduleDelayed();
      return;
    }
    this.write(data, done);
  }

  private write(data: Payload, done?: () => void): void {
    // Buffers are sent as text frames too: they are the UTF-8 of a JSON string.
    this.ws.send(data, { binary: false }, done && (() => done()));
  }

  private scheduleDelayed(): void {
    if (this.delayTimer || this.delayed.length === 0) return;
    const wait = Math.max(0, this.delayed[0].due - this.ctx.clock());
    this.delayTimer = setTimeout(() => {
      this.delayTimer = undefined;
      const now = this.ctx.clock();
      let sent = 0;
      while (sent < this.delayed.length && this.delayed[sent].due <= now) {
        const { data, done } = this.delayed[sent++];
        this.delayedBytes -= data.length;
        if (!this.closed && this.ws.readyState === this.ws.OPEN) this.write(data, done);
      }
      this.delayed = this.delayed.slice(sent);
      this.scheduleDelayed();
    }, wait);
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribeFrames();
    clearTimeout(this.drainTimer);
    clearTimeout(this.delayTimer);
    clearTimeout(this.garbageTimer);
    this.garbage = [];
    this.delayed = [];
    this.delayedBytes = 0;
  }
}
