import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffCap, backoffDelay, validateBackoff } from "../src/scheduling/backoff.js";

describe("backoffDelay (exponential backoff, full jitter)", () => {
  it("stays within [0, cap] and never exceeds maxMs, for any attempt and random draw", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.record({ minMs: fc.integer({ min: 0, max: 1000 }), extra: fc.integer({ min: 1, max: 60_000 }), factor: fc.double({ min: 1, max: 4, noNaN: true }) }),
        (attempt, r, o) => {
          const options = { minMs: o.minMs, maxMs: o.minMs + o.extra, factor: o.factor };
          const delay = backoffDelay(attempt, options, () => r);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(options.maxMs);
          expect(delay).toBeLessThanOrEqual(backoffCap(attempt, options));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("grows the cap with the attempt: 250, 500, 1000, ... up to 10 s", () => {
    const caps = [0, 1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, {}, () => 1));
    expect(caps).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    for (let a = 1; a < 100; a++) expect(backoffCap(a)).toBeGreaterThanOrEqual(backoffCap(a - 1));
    expect(backoffCap(1e9)).toBe(10_000); // factor^attempt overflows to Infinity; still capped
  });

  it("spreads retries over the whole [0, cap] window (that is what full jitter means)", () => {
    const cap = backoffCap(3); // 2000 ms
    const draws = Array.from({ length: 5000 }, () => backoffDelay(3));
    expect(Math.min(...draws)).toBeLessThan(cap * 0.02);
    expect(Math.max(...draws)).toBeGreaterThan(cap * 0.98);
    // Every tenth of the window gets a share of the retries: no lockstep.
    const deciles = new Array(10).fill(0);
    for (const d of draws) deciles[Math.min(9, Math.floor((d / cap) * 10))]++;
    for (const count of deciles) expect(count).toBeGreaterThan(350);
  });

  it("is pure: the same inputs give the same delay", () => {
    expect(backoffDelay(4, { minMs: 100 }, () => 0.5)).toBe(backoffDelay(4, { minMs: 100 }, () => 0.5));
  });

  it("clamps a misbehaving random source and a negative attempt", () => {
    expect(backoffDelay(0, {}, () => NaN)).toBe(0);
    expect(backoffDelay(0, {}, () => -3)).toBe(0);
    expect(backoffDelay(2, {}, () => 7)).toBe(1000);
    expect(backoffDelay(-5, {}, () => 1)).toBe(250);
  });
});

describe("validateBackoff", () => {
  it("fills in defaults", () => {
    expect(validateBackoff()).toEqual({ minMs: 250, maxMs: 10_000, factor: 2 });
  });

  it("rejects bad options with a RangeError that names them", () => {
    expect(() => validateBackoff({ minMs: -1 })).toThrow(/minMs/);
    expect(() => validateBackoff({ maxMs: 0 })).toThrow(/maxMs/);
    expect(() => validateBackoff({ minMs: 500, maxMs: 100 })).toThrow(RangeError);
    expect(() => validateBackoff({ factor: 0.5 })).toThrow(/factor/);
    expect(() => validateBackoff({ minMs: NaN })).toThrow(RangeError);
  });
});
