/**
 * The sources (tenants) of the server: created lazily on first use, capped in number.
 */
import type { SourceStream } from "./stream.js";

/** Source names: 1-64 letters, digits, dot, underscore or dash. */
export const SOURCE_NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Name used when a request gives no `source`. */
export const DEFAULT_SOURCE = "default";

export type SourceLookup = { ok: true; stream: SourceStream } | { ok: false; message: string };

export class SourceRegistry {
  private readonly streams = new Map<string, SourceStream>();

  constructor(
    private readonly create: (name: string) => SourceStream,
    private readonly maxSources: number,
  ) {}

  /** Checks a name without creating anything. */
  static validName(name: string): boolean {
    return SOURCE_NAME_PATTERN.test(name);
  }

  /** The stream of a source, created (and started) on first use. */
  get(name: string): SourceLookup {
    const existing = this.streams.get(name);
    if (existing) return { ok: true, stream: existing };
    if (!SourceRegistry.validName(name)) {
      return { ok: false, message: "source names are 1-64 characters of A-Z a-z 0-9 . _ -" };
    }
    if (this.streams.size >= this.maxSources) {
      return { ok: false, message: `the server already serves its maximum of ${this.maxSources} sources` };
    }
    const stream = this.create(name);
    this.streams.set(name, stream);
    stream.start();
    return { ok: true, stream };
  }

  all(): SourceStream[] {
    return [...this.streams.values()];
  }

  get size(): number {
    return this.streams.size;
  }

  /** Stops every stream's timer. */
  stopAll(): void {
    for (const stream of this.streams.values()) stream.stop();
  }
}
