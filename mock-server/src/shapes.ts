/**
 * Building blocks of realistic-looking signals, each a pure function of time.
 *
 * A metric's value is a sum of these: a daily cycle, a few faster waves so a live chart moves,
 * smooth noise (a random walk look), white noise, and "incidents": bursts shared by all the
 * metrics of a source, so requests, errors, latency and cpu rise together like a real outage.
 * Every random-looking part comes from hashing (see hash.ts), never from a generator state.
 */
import { combine, combineIndex, signedUnit, unit } from "./hash.js";

export const DAY_MS = 86_400_000;

/** Length of one incident window; an incident rises and falls within one window. */
const INCIDENT_WINDOW_MS = 45_000;
/** Share of windows that contain an incident (per source). */
const INCIDENT_PROBABILITY = 0.12;
/** Salt that separates the incident hash stream from every metric's own stream. */
const INCIDENT_SALT = 0x1ac1de47;
const SPIKE_SALT = 0x5b1ce0ff;

/**
 * A sine of the given period. `t % period` first: the sine of a raw epoch-millisecond angle
 * (about 10^12 radians) would lose most of its precision.
 */
export function wave(t: number, periodMs: number, phase = 0): number {
  return Math.sin((2 * Math.PI * (t % periodMs)) / periodMs + phase);
}

/** The daily cycle, peaking at `peakHourUtc` (fractional hours allowed). */
export function dailyCycle(t: number, peakHourUtc: number): number {
  // sin peaks at a quarter period, so shift the phase so that the peak lands on peakHourUtc.
  const phase = Math.PI / 2 - (2 * Math.PI * peakHourUtc) / 24;
  return wave(t, DAY_MS, phase);
}

/** A sawtooth rising from 0 to 1 over each period (a heap growing until collected). */
export function sawtooth(t: number, periodMs: number): number {
  return (t % periodMs) / periodMs;
}

/** White noise in [-1, 1): a fresh hash for every millisecond of time. */
export function whiteNoise(key: number, t: number): number {
  return signedUnit(combineIndex(key, t));
}

/**
 * Smooth ("value") noise in [-1, 1]: hashed knots every `periodMs`, joined by smoothstep
 * interpolation. Looks like a slow random walk, yet any instant is computable on its own.
 */
export function smoothNoise(key: number, t: number, periodMs: number): number {
  const knot = Math.floor(t / periodMs);
  const f = (t - knot * periodMs) / periodMs;
  const a = signedUnit(combineIndex(key, knot));
  const b = signedUnit(combineIndex(key, knot + 1));
  const s = f * f * (3 - 2 * f);
  return a + (b - a) * s;
}

/**
 * Incident intensity in [0, 1] for a source at time t: usually 0; in about one window in
 * eight, a bump that rises and falls (sin^2) over the 45 s window, with a hashed height.
 */
export function incidentLevel(sourceKey: number, t: number): number {
  const window = Math.floor(t / INCIDENT_WINDOW_MS);
  const h = combineIndex(combine(sourceKey, INCIDENT_SALT), window);
  if (unit(h) >= INCIDENT_PROBABILITY) return 0;
  const height = 0.4 + 0.6 * unit(mix(h));
  const x = (t - window * INCIDENT_WINDOW_MS) / INCIDENT_WINDOW_MS;
  const s = Math.sin(Math.PI * x);
  return height * s * s;
}

/** A hashed single-sample spike: returns the multiplier (1 almost always). */
export function spikeFactor(key: number, t: number, probability: number, maxFactor: number): number {
  const h = combineIndex(combine(key, SPIKE_SALT), t);
  const u = unit(h);
  if (u >= probability) return 1;
  return 1 + (maxFactor - 1) * (u / probability);
}

function mix(h: number): number {
  return combine(h, 0x2545f491);
}

/** Clamps into [min, max]. */
export function clamp(x: number, min: number, max: number): number {
  return x < min ? min : x > max ? max : x;
}

/** Rounds to 2 decimals: short JSON, and the same rounding for the stream and history. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Rounds to 1 decimal. */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
