/**
 * Ingest limits, as values.
 *
 * Parsers and engines never throw or answer HTTP themselves: when a limit stops a request they
 * return a {@link LimitHit} naming the limit, its value and the HTTP status the server should
 * answer with, so the HTTP layer maps it without knowing the rules.
 */

/** Limits on what one ingest request may carry, and on what a source may hold. */
export interface IngestLimits {
  /** Largest request body, in UTF-8 bytes (413). */
  maxBodyBytes: number;
  /** Most lines in one line-protocol body, blank lines and comments included (413). */
  maxLines: number;
  /** Most distinct series (metric ids) in one request (413). */
  maxSeriesPerRequest: number;
  /** Most samples in one request (413). */
  maxSamplesPerRequest: number;
  /** Most events in one request (413). */
  maxEventsPerRequest: number;
  /** Most series a source's catalogue may hold: the cardinality cap (422). */
  maxSeriesPerSource: number;
  /** Longest metric id, in characters (a line or body error, not a request limit). */
  maxIdLength: number;
  /** Longest event text and string field, in characters (a line or body error). */
  maxTextLength: number;
  /** Longest label, unit or group, in characters (a line or body error). */
  maxLabelLength: number;
}

/** The defaults: generous for Telegraf (which sends batches of 1000 metrics by default). */
export const DEFAULT_LIMITS: Readonly<IngestLimits> = Object.freeze({
  maxBodyBytes: 8 * 1024 * 1024,
  maxLines: 100_000,
  maxSeriesPerRequest: 20_000,
  maxSamplesPerRequest: 1_000_000,
  maxEventsPerRequest: 10_000,
  maxSeriesPerSource: 20_000,
  maxIdLength: 256,
  maxTextLength: 16_384,
  maxLabelLength: 256,
});

/** Which limit stopped a request. */
export type LimitName =
  | "maxBodyBytes"
  | "maxLines"
  | "maxSeriesPerRequest"
  | "maxSamplesPerRequest"
  | "maxEventsPerRequest"
  | "maxSeriesPerSource"
  | "ingestRate";

/** A limit that stopped (or, for the cardinality cap, trimmed) a request. */
export interface LimitHit {
  limit: LimitName;
  /** The limit's value. */
  max: number;
  /** What the request had (or would have brought the source to). */
  actual: number;
  /**
   * The HTTP status to answer: 413 for a request that is too large (split it), 422 for the
   * cardinality cap (the source cannot take new series; more of the same will not help), 429
   * for the ingest rate budget (retry after {@link retryAfterMs}).
   */
  status: 413 | 422 | 429;
  /** A sentence for the reply body. */
  message: string;
  /** For 429: when the request would fit the budget again. */
  retryAfterMs?: number;
}

const STATUS: Record<LimitName, 413 | 422 | 429> = {
  maxBodyBytes: 413,
  maxLines: 413,
  maxSeriesPerRequest: 413,
  maxSamplesPerRequest: 413,
  maxEventsPerRequest: 413,
  maxSeriesPerSource: 422,
  ingestRate: 429,
};

const WHAT: Record<LimitName, string> = {
  maxBodyBytes: "the body is larger than the limit of {max} bytes ({actual}); send smaller batches",
  maxLines: "the body has more than the limit of {max} lines ({actual}); send smaller batches",
  maxSeriesPerRequest: "the request has more than the limit of {max} series ({actual}); split it",
  maxSamplesPerRequest: "the request has more than the limit of {max} samples ({actual}); split it",
  maxEventsPerRequest: "the request has more than the limit of {max} events ({actual}); split it",
  maxSeriesPerSource:
    "the source would exceed its limit of {max} series ({actual}); samples of new series were dropped, known series were kept",
  ingestRate: "the source's ingest budget of {max} samples per second is spent; retry later",
};

/** Builds a {@link LimitHit} with its status and sentence. */
export function limitHit(limit: LimitName, max: number, actual: number, retryAfterMs?: number): LimitHit {
  const message = WHAT[limit].replace("{max}", String(max)).replace("{actual}", String(actual));
  const hit: LimitHit = { limit, max, actual, status: STATUS[limit], message };
  if (retryAfterMs !== undefined) hit.retryAfterMs = retryAfterMs;
  return hit;
}

/** Fills the limits a caller left out with the defaults. */
export function resolveLimits(partial: Partial<IngestLimits> = {}): IngestLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}

/** UTF-8 length of a string, without encoding it. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** Checks a body's size before it is parsed; undefined when it fits. */
export function checkBodySize(bytes: number, limits: Pick<IngestLimits, "maxBodyBytes">): LimitHit | undefined {
  return bytes > limits.maxBodyBytes ? limitHit("maxBodyBytes", limits.maxBodyBytes, bytes) : undefined;
}

/**
 * A per-source ingest budget in samples per second: a token bucket with a burst, driven by
 * the caller's clock (no timers). `take` answers undefined when the request fits, else the
 * 429 limit with the time after which it would.
 */
export class IngestBudget {
  private tokens: number;
  private at: number | undefined;

  constructor(
    /** Sustained samples per second. */
    readonly ratePerSecond: number,
    /** Most samples accepted at once (defaults to one second's worth). */
    readonly burst: number = ratePerSecond,
  ) {
    if (!(ratePerSecond > 0) || !(burst > 0)) throw new RangeError("IngestBudget: rate and burst must be > 0");
    this.tokens = burst;
  }

  /** Takes `samples` tokens at time `now` (ms), or says when they will be there. */
  take(samples: number, now: number): LimitHit | undefined {
    if (this.at !== undefined && now > this.at) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.ratePerSecond) / 1000);
    }
    this.at = this.at === undefined ? now : Math.max(this.at, now);
    if (samples <= this.tokens) {
      this.tokens -= samples;
      return undefined;
    }
    // A request larger than the burst can never fit, however long the sender waits: 413.
    if (samples > this.burst) return limitHit("maxSamplesPerRequest", this.burst, samples);
    const retryAfterMs = Math.ceil(((samples - this.tokens) * 1000) / this.ratePerSecond);
    return limitHit("ingestRate", this.ratePerSecond, samples, retryAfterMs);
  }
}
