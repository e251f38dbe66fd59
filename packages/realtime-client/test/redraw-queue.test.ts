/**
 * The redraw queue staggers chart redraws: at most N per frame, first come first served,
 * off-screen charts skipped until they are visible again, and no chart drawn faster than
 * its pixels can show.
 */
import { describe, expect, it } from "vitest";
import { createManualFrameScheduler } from "../src/testing/index.js";
import { RedrawQueue } from "../src/view/redraw-queue.js";

function setup(maxPerFrame: number) {
  const scheduler = createManualFrameScheduler();
  let now = 0;
  const queue = new RedrawQueue({ maxPerFrame, scheduler, now: () => now });
  const drawn: string[] = [];
  const chart = (name: string, minIntervalMs = 0) => queue.register({ draw: () => drawn.push(name), minIntervalMs: () => minIntervalMs });
  return { scheduler, queue, drawn, chart, advance: (ms: number) => (now += ms) };
}

describe("RedrawQueue", () => {
  it("draws at most maxPerFrame charts per frame, in request order", () => {
    const { scheduler, drawn, chart } = setup(2);
    const charts = ["a", "b", "c", "d", "e"].map((n) => chart(n));
    for (const c of charts) c.request();
    scheduler.runFrame();
    expect(drawn).toEqual(["a", "b"]);
    scheduler.runFrame();
    expect(drawn).toEqual(["a", "b", "c", "d"]);
    scheduler.runFrame();
    expect(drawn).toEqual(["a", "b", "c", "d", "e"]);
    expect(scheduler.pending).toBe(0); // nothing left: no frame requested
  });

  it("is round-robin: a chart asking again keeps its place and is drawn once", () => {
    const { scheduler, drawn, chart } = setup(1);
    const a = chart("a");
    const b = chart("b");
    a.request();
    b.request();
    a.request(); // already waiting
    scheduler.runFrame();
    a.request(); // drawn: queues behind b
    scheduler.runFrame();
    scheduler.runFrame();
    expect(drawn).toEqual(["a", "b", "a"]);
  });

  it("skips off-screen charts and draws them when they come back", () => {
    const { scheduler, drawn, chart } = setup(4);
    const a = chart("a");
    const b = chart("b");
    b.setVisible(false);
    a.request();
    b.request();
    scheduler.runFrame();
    expect(drawn).toEqual(["a"]);
    b.setVisible(true);
    scheduler.runFrame();
    expect(drawn).toEqual(["a", "b"]);
  });

  it("waits until a chart's minimum interval has passed (ms per pixel)", () => {
    const { scheduler, drawn, chart, advance } = setup(4);
    const a = chart("a", 100); // e.g. 60 s over 600 px
    a.request();
    scheduler.runFrame();
    a.request();
    advance(16);
    scheduler.runFrame();
    expect(drawn).toEqual(["a"]); // too soon
    advance(90);
    scheduler.runFrame();
    expect(drawn).toEqual(["a", "a"]);
  });

  it("forgets disposed charts", () => {
    const { scheduler, drawn, chart } = setup(4);
    const a = chart("a");
    a.request();
    a.dispose();
    scheduler.runFrame();
    expect(drawn).toEqual([]);
    expect(scheduler.pending).toBe(0);
  });
});
