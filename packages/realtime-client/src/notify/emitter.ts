/**
 * A small typed event emitter: one context object per event, listeners that cannot break
 * each other, and safe (un)subscription while an event is being delivered.
 *
 * @module
 */

/** Called when a listener throws. `type` is the event being delivered. */
export type ListenerErrorHandler = (error: unknown, type: string) => void;

/** Options of {@link Emitter}. */
export interface EmitterOptions {
  /**
   * Receives errors thrown by listeners. The emitter itself never throws because of a listener.
   * @default {@link reportListenerError}
   */
  onListenerError?: ListenerErrorHandler;
}

/**
 * The default way to surface an error thrown by an application callback without letting it
 * interrupt the stream.
 *
 * In browsers it uses `reportError`, which reports the error exactly like an uncaught one
 * (console, `window.onerror`, error monitoring tools) but returns normally. Node 20 has no
 * `reportError`, and re-throwing from a microtask there would crash the whole process with an
 * uncaught exception, so it falls back to `console.error`.
 *
 * @param error - what the callback threw.
 * @param type - the event (or schedule) name, for the log line.
 * @example
 * ```ts
 * try { listener(ctx); } catch (error) { reportListenerError(error, "data"); }
 * ```
 */
export function reportListenerError(error: unknown, type: string): void {
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (typeof report === "function") {
    report.call(globalThis, error);
  } else {
    console.error(`[pulseboard] listener for "${type}" threw:`, error);
  }
}

/** One registration. `active` turns false on unsubscribe so an emit in progress skips it. */
interface Registration {
  readonly listener: (ctx: never) => void;
  readonly once: boolean;
  active: boolean;
}

/**
 * Typed event emitter. `Events` maps each event name to its context object.
 *
 * Delivery rules:
 * - listeners run in subscription order;
 * - a listener that throws is reported through `onListenerError` and the others still run;
 * - a listener added during an emit is not called by that emit (it sees the next one);
 * - a listener removed during an emit is not called afterwards, even by that emit.
 *
 * @example
 * ```ts
 * type Events = { state: { newState: string; oldState: string } };
 * const events = new Emitter<Events>();
 * const off = events.on("state", ({ newState }) => console.log(newState));
 * events.emit("state", { newState: "connected", oldState: "connecting" });
 * off();
 * ```
 */
export class Emitter<Events extends Record<string, unknown>> {
  // Copy-on-write arrays: emit iterates the array it read, (un)subscribe replaces it. That makes
  // subscription changes during an emit safe without copying on every emit (emits are far more
  // frequent than subscription changes).
  private readonly registrations = new Map<keyof Events, Registration[]>();
  private readonly onListenerError: ListenerErrorHandler;

  /**
   * @param options - see {@link EmitterOptions}.
   */
  constructor(options: EmitterOptions = {}) {
    this.onListenerError = options.onListenerError ?? reportListenerError;
  }

  /**
   * Subscribe to an event.
   * @param type - event name.
   * @param listener - called with the event's context object.
   * @returns a function that unsubscribes (calling it twice is harmless).
   * @example
   * ```ts
   * const off = emitter.on("data", ({ points }) => total += points);
   * ```
   */
  on<K extends keyof Events>(type: K, listener: (ctx: Events[K]) => void): () => void {
    return this.add(type, listener, false);
  }

  /**
   * Subscribe to the next occurrence of an event only.
   * @param type - event name.
   * @param listener - called at most once.
   * @returns a function that unsubscribes before it fired.
   * @example
   * ```ts
   * emitter.once("connected", () => console.log("first connection"));
   * ```
   */
  once<K extends keyof Events>(type: K, listener: (ctx: Events[K]) => void): () => void {
    return this.add(type, listener, true);
  }

  /**
   * Deliver an event to its current listeners.
   * @param type - event name.
   * @param ctx - the context object every listener receives.
   * @example
   * ```ts
   * emitter.emit("state", { newState: "closed", oldState: "connected" });
   * ```
   */
  emit<K extends keyof Events>(type: K, ctx: Events[K]): void {
    const list = this.registrations.get(type);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      const reg = list[i];
      if (!reg.active) continue;
      if (reg.once) this.remove(type, reg);
      try {
        (reg.listener as (ctx: Events[K]) => void)(ctx);
      } catch (error) {
        this.reportError(error, type);
      }
    }
  }

  /**
   * Count listeners.
   * @param type - one event name; omit for all events.
   * @returns the number of active listeners.
   */
  listenerCount(type?: keyof Events): number {
    if (type !== undefined) return this.registrations.get(type)?.length ?? 0;
    let total = 0;
    for (const list of this.registrations.values()) total += list.length;
    return total;
  }

  /** Remove every listener of every event. */
  clear(): void {
    for (const list of this.registrations.values()) {
      for (const reg of list) reg.active = false;
    }
    this.registrations.clear();
  }

  private add<K extends keyof Events>(
    type: K,
    listener: (ctx: Events[K]) => void,
    once: boolean,
  ): () => void {
    const reg: Registration = { listener, once, active: true };
    const list = this.registrations.get(type);
    this.registrations.set(type, list === undefined ? [reg] : [...list, reg]);
    return () => this.remove(type, reg);
  }

  private remove(type: keyof Events, reg: Registration): void {
    if (!reg.active) return;
    reg.active = false;
    const list = this.registrations.get(type);
    if (list === undefined) return;
    const next = list.filter((r) => r !== reg);
    if (next.length === 0) this.registrations.delete(type);
    else this.registrations.set(type, next);
  }

  private reportError(error: unknown, type: keyof Events): void {
    try {
      this.onListenerError(error, String(type));
    } catch {
      // The error handler itself failed; there is nowhere left to report to. Swallowing here is
      // what keeps the promise "emit never throws".
    }
  }
}
