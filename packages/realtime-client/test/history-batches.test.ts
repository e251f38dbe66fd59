/**
 * Packing a gap's windows into history requests: every series exactly once, every request
 * within its limits, and as few requests as those limits allow.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { estimatePoints, listChars, planHistoryBatches, splitBatch, type BackfillJob, type BatchLimits, type HistoryBatch } from "../src/history/batches.js";

const END = 1_800_000_000_000;
const limits: BatchLimits = { maxIds: 1000, maxPoints: 131_072, maxListChars: 8000 };
const host = (n: number) => `host.h-${String(n).padStart(5, "0")}.cpu`;

/** Jobs as a gap produces them: every series ends just before the first frame after it. */
function gapJobs(core: number, coreHz: number, hosts: number, coreFrom: number, hostFrom: number): BackfillJob[] {
  const jobs: BackfillJob[] = [];
  for (let i = 0; i < core; i++) jobs.push({ id: `core.${i}`, from: coreFrom, to: END - 1, rateHz: coreHz });
  for (let n = 1; n <= hosts; n++) jobs.push({ id: host(n), from: hostFrom, to: END - 1, rateHz: 1 });
  return jobs;
}

/** Every limit a batch of more than one job must respect, and its window the union of its jobs'. */
function checkBatch(batch: HistoryBatch, l: BatchLimits): void {
  expect(batch.from).toBe(Math.min(...batch.jobs.map((j) => j.from)));
  expect(batch.to).toBe(Math.max(...batch.jobs.map((j) => j.to)));
  if (batch.jobs.length === 1) return;
  expect(batch.jobs.length).toBeLessThanOrEqual(l.maxIds);
  expect(batch.jobs.reduce((sum, j) => sum + listChars(j.id), 0)).toBeLessThanOrEqual(l.maxListChars);
  expect(batch.jobs.reduce((sum, j) => sum + estimatePoints(j.rateHz, batch.from, batch.to), 0)).toBeLessThanOrEqual(l.maxPoints + 1e-6);
}

describe("planHistoryBatches", () => {
  it("asks for the default catalogue (20 metrics at 10 Hz, 200 hosts at 1 Hz) in one request", () => {
    // A 30 s outage; hosts last sampled up to a second before the core metrics.
    const jobs = gapJobs(20, 10, 200, END - 30_000, END - 30_900);
    const batches = planHistoryBatches(jobs, limits);
    expect(batches).toHaveLength(1);
    expect(batches[0].jobs.map((j) => j.id).sort()).toEqual(jobs.map((j) => j.id).sort());
    checkBatch(batches[0], limits);
  });

  it("keeps the URL short: 10 000 hosts take about 8000 / 17 ids per request", () => {
    const jobs = gapJobs(20, 10, 10_000, END - 5000, END - 5500);
    const batches = planHistoryBatches(jobs, limits);
    // A host id costs 17 characters with its comma: 470 fit in 8000. The 20 core ids (7
    // characters each) join the last request, which holds only 130 hosts.
    expect(batches.map((b) => b.jobs.length)).toEqual([...Array<number>(21).fill(470), 150]);
    for (const batch of batches) checkBatch(batch, limits);
    expect(batches.flatMap((b) => b.jobs)).toHaveLength(jobs.length);
  });

  it("splits on points: a long outage at high rates needs several replies", () => {
    // 20 metrics at 1000 Hz over the 4096 samples their rings hold: 81 920 points, plus hosts.
    const jobs = gapJobs(20, 1000, 10, END - 4096, END - 4096);
    const batches = planHistoryBatches(jobs, { ...limits, maxPoints: 20_000 });
    for (const batch of batches) checkBatch(batch, { ...limits, maxPoints: 20_000 });
    expect(batches.length).toBe(5);
  });

  it("does not fetch a short window over a much longer one", () => {
    // After an hour away a 1 Hz ring wants 4096 s back, a 10 Hz ring only its 409.6 s: sharing
    // the hosts' window would fetch ten times the core metrics' points.
    const jobs = gapJobs(20, 10, 20, END - 409_600, END - 4_096_000);
    const batches = planHistoryBatches(jobs, limits);
    expect(batches.map((b) => [b.jobs.length, b.from])).toEqual([
      [20, END - 4_096_000],
      [20, END - 409_600],
    ]);
    expect(batches[1].jobs.every((j) => j.id.startsWith("core."))).toBe(true);
  });

  it("splits a long outage of the default catalogue by points: 819 200 host points in 7 replies", () => {
    const jobs = gapJobs(20, 10, 200, END - 409_600, END - 4_096_000);
    const batches = planHistoryBatches(jobs, limits);
    for (const batch of batches) checkBatch(batch, limits);
    // 31 hosts × 4098 estimated points stay under 131 072; the core metrics keep their own window.
    expect(batches.map((b) => b.jobs.length)).toEqual([31, 31, 31, 31, 31, 31, 14, 20]);
  });

  it("gives a job that alone exceeds a limit a request of its own", () => {
    const jobs = [
      { id: "small", from: END - 1000, to: END, rateHz: 10 },
      { id: "huge", from: END - 1000, to: END, rateHz: 1_000_000 },
      { id: "other", from: END - 1000, to: END, rateHz: 10 },
    ];
    const batches = planHistoryBatches(jobs, limits);
    expect(batches.map((b) => b.jobs.map((j) => j.id))).toEqual([["small"], ["huge"], ["other"]]);
  });

  it("places every job exactly once, within every limit", () => {
    const job = fc.record({
      id: fc.string({ minLength: 1, maxLength: 30 }),
      from: fc.integer({ min: 0, max: 1_000_000 }),
      span: fc.integer({ min: 0, max: 1_000_000 }),
      rateHz: fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 2000, noNaN: true })),
    });
    const limitsArb = fc.record({
      maxIds: fc.integer({ min: 1, max: 50 }),
      maxPoints: fc.integer({ min: 1, max: 1_000_000 }),
      maxListChars: fc.integer({ min: 1, max: 2000 }),
    });
    fc.assert(
      fc.property(fc.array(job, { maxLength: 200 }), limitsArb, (raw, l) => {
        const jobs = raw.map((j, i) => ({ id: `${i}:${j.id}`, from: j.from, to: j.from + j.span, rateHz: j.rateHz }));
        const batches = planHistoryBatches(jobs, l);
        expect(batches.flatMap((b) => b.jobs.map((j) => j.id)).sort()).toEqual(jobs.map((j) => j.id).sort());
        for (const batch of batches) checkBatch(batch, l);
      }),
      { numRuns: 300 },
    );
  });
});

describe("splitBatch", () => {
  it("halves a batch, each half on the union window of its own jobs", () => {
    const jobs = [
      { id: "a", from: 10, to: 100, rateHz: 1 },
      { id: "b", from: 20, to: 90, rateHz: 1 },
      { id: "c", from: 50, to: 80, rateHz: 1 },
    ];
    const [first, second] = splitBatch({ from: 10, to: 100, jobs });
    expect(first).toEqual({ from: 10, to: 100, jobs: jobs.slice(0, 2) });
    expect(second).toEqual({ from: 50, to: 80, jobs: jobs.slice(2) });
  });
});
