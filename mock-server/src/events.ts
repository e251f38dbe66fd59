/**
 * The event log generator: deploys, alerts and log lines, deterministic like the metrics.
 *
 * Time is cut into slots of `1000 / eventsRate` ms (rounded to whole ms, at least 1). Slot k
 * holds exactly one event, at a hashed instant inside the slot, with `id = k`. So ids are
 * unique and increasing within a source, the rate is exact, and any window of events can be
 * recomputed with {@link eventsBetween}.
 *
 * `source` on an event is the service that emitted it (for example "checkout"), not the
 * stream's source (tenant). About 2% of log lines carry markup-like text (`<b>`, `&`,
 * `<script>`): a client must render event text as text, and tests can look for these.
 */
import type { EventLevel, StreamEvent } from "@pulseboard/protocol";
import { combine, combineIndex, unit } from "./hash.js";
import { incidentLevel } from "./shapes.js";

const EVENT_SALT = 0xe7e17;

/** Most events per second the server generates (one per millisecond). */
export const MAX_EVENTS_RATE = 1000;

const SERVICES = ["api-gateway", "checkout", "auth", "search", "billing", "catalog", "worker", "notifier"];
const REGIONS = ["us-east", "us-west", "eu-west", "eu-central", "ap-south", "sa-east"];
const ROUTES = ["/api/orders", "/api/cart", "/api/login", "/api/search", "/api/items/42", "/api/invoices"];
const ALERTS = [
  (n: number) => `High latency on checkout: p99 ${500 + (n % 900)} ms > 500 ms`,
  (n: number) => `Error rate above 2% on api-gateway (${(2 + (n % 70) / 10).toFixed(1)}%)`,
  (n: number) => `Disk usage ${80 + (n % 19)}% on db-${1 + (n % 4)}`,
  (n: number) => `Queue backlog: ${1000 + (n % 9000)} jobs waiting`,
  (n: number) => `Certificate for api.example.com expires in ${1 + (n % 29)} days`,
];
const LOGS = [
  (n: number) => `GET ${ROUTES[n % ROUTES.length]} ${[200, 200, 200, 201, 304, 404][n % 6]} ${1 + (n % 240)}ms`,
  (n: number) => `cache ${n % 3 === 0 ? "miss" : "hit"} key=user:${n % 100_000}`,
  (n: number) => `worker ${n % 16} processed batch of ${1 + (n % 500)} jobs`,
  (n: number) => `retrying upstream call (attempt ${1 + (n % 3)}/3)`,
  (n: number) => `connection pool size=${5 + (n % 45)} idle=${n % 5}`,
];
/** Texts that look like markup: they must show up literally in a dashboard, never as HTML. */
const MARKUP_LOGS = [
  () => `Rendered template "<b>Welcome back</b>" & cached it`,
  () => `Rejected search q=<script>alert("x")</script> (400)`,
  () => `User "Tom & Jerry <tj@example.com>" signed in`,
  () => `Header X-Note: <img src=x onerror=alert(1)> &amp; more`,
];

/** Slot length in ms for an events rate (events per second). */
export function eventSlotMs(eventsRate: number): number {
  return Math.max(1, Math.round(1000 / eventsRate));
}

/** The event of slot k (every slot has one). */
export function eventInSlot(sourceKey: number, slotMs: number, k: number): StreamEvent {
  const h = combineIndex(combine(sourceKey, EVENT_SALT), k);
  const t = k * slotMs + (slotMs > 1 ? h % slotMs : 0);
  const n = combine(h, 1);
  const roll = unit(combine(h, 2));
  // Alerts are five times likelier during an incident, as they would be.
  const alertShare = incidentLevel(sourceKey, t) > 0.3 ? 0.35 : 0.07;
  const service = SERVICES[n % SERVICES.length];
  if (roll < 0.03) {
    const version = `v${1 + (n % 3)}.${n % 20}.${(n >>> 8) % 10}`;
    return { id: k, t, level: "info", kind: "deploy", source: "deployer", text: `Deployed ${service} ${version} to ${REGIONS[(n >>> 4) % REGIONS.length]}` };
  }
  if (roll < 0.03 + alertShare) {
    const level: EventLevel = unit(combine(h, 3)) < 0.3 ? "error" : "warn";
    return { id: k, t, level, kind: "alert", source: "alertmanager", text: ALERTS[n % ALERTS.length](n >>> 3) };
  }
  const levelRoll = unit(combine(h, 4));
  const level: EventLevel = levelRoll < 0.2 ? "debug" : levelRoll < 0.85 ? "info" : levelRoll < 0.96 ? "warn" : "error";
  const text = unit(combine(h, 5)) < 0.02 ? MARKUP_LOGS[n % MARKUP_LOGS.length]() : LOGS[n % LOGS.length](n >>> 3);
  return { id: k, t, level, kind: "log", source: service, text };
}

/**
 * All events with t in (fromExclusive, toInclusive], in time order.
 *
 * @param sourceKey see `sourceKey(seed, source)` in generator.ts
 * @param eventsRate events per second (0 for none)
 */
export function eventsBetween(sourceKey: number, eventsRate: number, fromExclusive: number, toInclusive: number): StreamEvent[] {
  if (eventsRate <= 0 || toInclusive <= fromExclusive) return [];
  const slotMs = eventSlotMs(eventsRate);
  const events: StreamEvent[] = [];
  // An event lies inside its slot, so only slots overlapping the window can contribute.
  const firstSlot = Math.floor((fromExclusive + 1) / slotMs);
  const lastSlot = Math.floor(toInclusive / slotMs);
  for (let k = firstSlot; k <= lastSlot; k++) {
    const event = eventInSlot(sourceKey, slotMs, k);
    if (event.t > fromExclusive && event.t <= toInclusive) events.push(event);
  }
  return events;
}
