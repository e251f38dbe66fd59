/**
 * Repairing a hole in the seqs on a socket that stays open.
 *
 * A proxy or a gateway that sheds frames leaves the socket open: pongs still arrive, the
 * heartbeat is satisfied, `lastMessageAt` stays fresh, and the seq cursor holds every later
 * frame ahead of the hole, waiting for frames that will never come on their own. Nothing
 * else in the client would ever ask for them again, so without this the stream stays frozen
 * for as long as the socket lives. The repair asks the server to replay from the cursor:
 *
 * ```
 * a frame arrives ahead of the cursor: the hole opens
 *   ──waitMs──────▶ resubscribe, since = cursor (the server replays the hole, or sends a gap)
 *   ──2 × waitMs──▶ still there: resubscribe again
 *   ──4 × waitMs──▶ still there after maxResubscribes (2): replace the socket; the next
 *                   socket's subscribe from the cursor is the next request
 *   ──8 × waitMs──▶ ... (no wait longer than maxWaitMs)
 * ```
 *
 * Why wait at all, when one TCP socket never reorders: a burst of loss is usually longer than
 * one frame, and a replay asked for in the middle of it may be lost too; and during a switch
 * between transports a missing frame may still land over the other one. Why back off: a
 * server (or path) that keeps losing frames must not be asked again every few ticks; each
 * unanswered request doubles the next wait, up to `maxWaitMs`, and a socket that
 * resubscribing does not help is replaced, since a new connection may take another path.
 *
 * Time is measured on the client's clock. The wait is a timer, and it is also checked on
 * every frame that arrives: a background tab may run timers once a minute, but its socket
 * still delivers frames, so a due repair happens with the next frame.
 *
 * Any progress (the cursor moves: the hole filled, partly filled, or skipped by a `gap`)
 * starts over: the next hole waits `waitMs` again.
 *
 * @module
 */

import type { Clock } from "../scheduling/clock.js";

/** Options of {@link HoleRepair}. */
export interface HoleRepairConfig {
  clock: Clock;
  /** How long a hole may stay open before the first replay request, in ms. */
  waitMs: number;
  /** The longest wait between two requests for the same hole, in ms. */
  maxWaitMs: number;
  /** Resubscribes on one socket for the same hole; the next request replaces the socket. */
  maxResubscribes: number;
  /** The first hole the cursor waits on (inclusive seqs), or null. */
  hole: () => { from: number; to: number } | null;
  /** Ask for a replay on the current socket: subscribe again with `since` = cursor. */
  resubscribe: (message: string) => void;
  /** Give up on the current socket: it is replaced, and the next one subscribes from the cursor. */
  replace: (message: string) => void;
}

/**
 * Watches the cursor's hole for one WebSocket session and asks for replays, backing off.
 *
 * @example
 * ```ts
 * const repair = new HoleRepair({ clock, waitMs: 300, maxWaitMs: 10_000, maxResubscribes: 2,
 *   hole: () => pipeline.pendingRange(), resubscribe: () => sendSubscribe(), replace: (m) => disconnect(m) });
 * repair.socketOpened();  // a new socket: its resubscribe count starts at 0
 * repair.subscribed();    // the socket (re)subscribed: requests can be made on it
 * repair.check();         // after every frame or gap applied
 * repair.stop();          // the socket is forgotten: no request until the next subscribed()
 * ```
 */
export class HoleRepair {
  private readonly config: HoleRepairConfig;
  /** First missing seq of the hole being watched (NaN: none). */
  private holeFrom = Number.NaN;
  /** Clock time the watched hole was first seen. */
  private openedAt = 0;
  /** Replay requests made for the watched hole, on any socket (each doubles the next wait). */
  private requests = 0;
  /** Resubscribes made on the current socket for the watched hole. */
  private onSocket = 0;
  /** A subscribed socket is there to ask. */
  private active = false;
  private dueAt = Infinity;
  private timer: unknown = null;

  /** @param config - see {@link HoleRepairConfig}. */
  constructor(config: HoleRepairConfig) {
    this.config = config;
  }

  /** A new socket is being opened: nothing has been asked on it yet. */
  socketOpened(): void {
    this.stop();
    this.onSocket = 0;
  }

  /**
   * The current socket confirmed a subscription (its first, or the answer to a resubscribe):
   * the replay follows from here, so a hole still open is given its full wait from now.
   */
  subscribed(): void {
    this.active = true;
    this.cancelTimer();
    this.dueAt = Infinity; // so that check() only looks, and does not ask at once
    this.check();
    if (!Number.isNaN(this.holeFrom)) this.arm(this.config.clock.now() + this.waitFor(this.requests));
  }

  /** The socket is gone (or the manager closed): no request until the next {@link HoleRepair.subscribed}. */
  stop(): void {
    this.active = false;
    this.cancelTimer();
    this.dueAt = Infinity;
  }

  /** A frame or gap was applied: start watching a new hole, forget a filled one, or act on a due one. */
  check(): void {
    const hole = this.config.hole();
    if (hole === null) {
      this.holeFrom = Number.NaN;
      this.requests = 0;
      this.onSocket = 0;
      this.cancelTimer();
      this.dueAt = Infinity;
      return;
    }
    if (hole.from !== this.holeFrom) {
      // A new hole, or the cursor moved into this one: progress, so start over.
      this.holeFrom = hole.from;
      this.openedAt = this.config.clock.now();
      this.requests = 0;
      this.onSocket = 0;
      if (this.active) this.arm(this.openedAt + this.config.waitMs);
      return;
    }
    if (this.active && this.config.clock.now() >= this.dueAt) this.request();
  }

  /** The wait before the request after `requests` unanswered ones. */
  private waitFor(requests: number): number {
    return Math.min(this.config.maxWaitMs, this.config.waitMs * 2 ** requests);
  }

  private arm(at: number): void {
    this.cancelTimer();
    this.dueAt = at;
    this.timer = this.config.clock.setTimeout(this.onTimer, Math.max(0, at - this.config.clock.now()));
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    this.config.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    // Frames may have been applied over the other transport since: look again first. That
    // asks if the hole is still the same one and due; a timer that fired a millisecond
    // before the clock says it is due (timers and Date.now() tick apart) asks all the same.
    const from = this.holeFrom;
    this.check();
    if (this.active && this.holeFrom === from && !Number.isNaN(from) && this.timer === null) this.request();
  };

  private request(): void {
    const hole = this.config.hole();
    if (hole === null) return;
    const { clock, maxResubscribes } = this.config;
    const now = clock.now();
    const seqs = hole.from === hole.to ? `seq ${hole.from}` : `seqs ${hole.from}..${hole.to}`;
    this.requests++;
    if (this.onSocket >= maxResubscribes) {
      this.stop();
      this.config.replace(`${seqs} still missing after ${this.onSocket} resubscribes; replacing the socket`);
      return;
    }
    this.onSocket++;
    this.arm(now + this.waitFor(this.requests));
    this.config.resubscribe(`${seqs} missing for ${Math.round(now - this.openedAt)} ms while later frames arrived; resubscribing from ${hole.from - 1}`);
  }
}
