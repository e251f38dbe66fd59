/**
 * How a line-protocol point becomes Pulseboard metrics: ids, labels, units, kinds, groups.
 *
 * Id: `measurement.tagvalue1.tagvalue2….field`, the tag values in the order of their tag keys
 * (sorted), the keys themselves left out. So `cpu,host=a,cpu=cpu0 usage_user=3` becomes
 * `cpu.cpu0.a.usage_user`, and `host,name=h-00001 cpu=3` becomes `host.h-00001.cpu`, the id
 * the mock server's hosts have. Every tag value is exactly one dot-separated segment, which is
 * what id patterns match: `host.*.cpu` selects every host's cpu, whatever the host is named.
 * The alternative, `measurement.field{host=a,cpu=cpu0}` (Prometheus's shape), puts the varying
 * part in braces at the end where a segment pattern cannot reach it, and its commas would
 * break every comma-separated `metrics=` list of the HTTP API.
 *
 * Characters: in tag values every character other than letters, digits, `_`, `-` and `:` is
 * written as `%XX` (its UTF-8 bytes), the dot included, so `web.example.com` stays one segment
 * (`web%2Eexample%2Ecom`) and the mapping cannot make two tag sets collide. In measurement and
 * field names dots are kept (a dotted name such as `app.requests` is already a path); the
 * price is that measurement `a.b` and measurement `a` tagged `b` both give `a.b.<field>`.
 * Labels keep the original text: `cpu usage_user (cpu=cpu0, host=a)`.
 *
 * Declaring units and kinds: reserved tags (Influx reserves names starting with `_`), which
 * are not part of the id:
 * - `_unit=%`, `_kind=counter`, `_label=…`, `_group=…` apply to every field of the line;
 * - `_unit.FIELD=…`, `_kind.FIELD=…`, `_label.FIELD=…` apply to one field and win;
 * - `_level`, `_event`, `_source` shape the events that string fields become.
 * Without them a metric is a `gauge` with an empty unit, its group is the measurement name.
 * Any other tag starting with `_` is an error (a typo such as `_units` would otherwise
 * silently become part of the id).
 */
import type { EventLevel, MetricKind, StreamEvent } from "../wire.js";
import { EVENT_KINDS, METRIC_KINDS, type MetricDeclaration, type MetricFields } from "./batch.js";

const HEX = "0123456789ABCDEF";

/** Characters kept as they are in an id segment (the dot only where `keepDots`). */
function isSegmentChar(c: number, keepDots: boolean): boolean {
  return (
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    c === 95 || // _
    c === 45 || // -
    c === 58 || // :
    (keepDots && c === 46)
  );
}

/** One id segment: the text with every other character as `%XX` of its UTF-8 bytes. */
export function encodeSegment(text: string, keepDots: boolean): string {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    if (!isSegmentChar(text.charCodeAt(i), keepDots)) {
      plain = false;
      break;
    }
  }
  if (plain) return text;
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    out += isSegmentChar(byte, keepDots) ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

const LEVELS: Record<string, EventLevel> = {
  debug: "debug",
  info: "info",
  informational: "info",
  notice: "info",
  warn: "warn",
  warning: "warn",
  error: "error",
  err: "error",
  crit: "error",
  critical: "error",
  alert: "error",
  emerg: "error",
  fatal: "error",
};

/** Reserved tag names that apply to the whole line. */
const LINE_RESERVED = new Set(["_unit", "_kind", "_label", "_group", "_level", "_event", "_source"]);
/** Reserved tag prefixes that apply to one field: `_unit.FIELD`. */
const FIELD_RESERVED = ["_unit.", "_kind.", "_label."] as const;

export const RESERVED_TAGS_HELP = "_unit, _kind, _label, _group, _level, _event, _source, _unit.FIELD, _kind.FIELD, _label.FIELD";

/** A decoded measurement and tag set, tags sorted by key. */
export interface DecodedKey {
  measurement: string;
  tags: Array<[key: string, value: string]>;
}

/** How the events that a line's string fields become look. */
export interface EventShape {
  level: EventLevel;
  kind: StreamEvent["kind"];
  source: string;
}

/** Everything derived from one measurement + tag set, computed once and cached by the parser. */
export interface SeriesKeyMapping {
  /** The id without its field: `measurement.tagvalue…`. */
  idPrefix: string;
  measurement: string;
  /** `(cpu=cpu0, host=a)`, or "" without tags. */
  labelSuffix: string;
  /** Stated for every field of the line. */
  lineSet: Partial<MetricFields>;
  /** Stated per field (decoded field name). */
  fieldSet: Map<string, Partial<MetricFields>>;
  event: EventShape;
}

/** Builds the mapping of a decoded key, or says which reserved tag is wrong. */
export function mapSeriesKey(key: DecodedKey, maxLabelLength: number): SeriesKeyMapping | string {
  const segments = [encodeSegment(key.measurement, true)];
  const labelTags: string[] = [];
  const lineSet: Partial<MetricFields> = {};
  const fieldSet = new Map<string, Partial<MetricFields>>();
  const event: EventShape = { level: "info", kind: "log", source: key.measurement };
  let levelFromTag: EventLevel | undefined;
  let explicitLevel: EventLevel | undefined;
  for (const [k, v] of key.tags) {
    if (k.charCodeAt(0) !== 95 /* _ */) {
      segments.push(encodeSegment(v, false));
      labelTags.push(`${k}=${v}`);
      if ((k === "level" || k === "severity") && LEVELS[v.toLowerCase()] !== undefined) levelFromTag ??= LEVELS[v.toLowerCase()];
      continue;
    }
    if (LINE_RESERVED.has(k)) {
      if (k === "_level") {
        const level = LEVELS[v.toLowerCase()];
        if (level === undefined) return `invalid _level ${JSON.stringify(v)}: one of debug, info, warn, error (or a syslog severity)`;
        explicitLevel = level;
      } else if (k === "_event") {
        if (!(EVENT_KINDS as readonly string[]).includes(v)) return `invalid _event ${JSON.stringify(v)}: one of ${EVENT_KINDS.join(", ")}`;
        event.kind = v as StreamEvent["kind"];
      } else if (k === "_source") {
        event.source = v;
      } else {
        const problem = applyStated(lineSet, k.slice(1), v, maxLabelLength);
        if (problem !== null) return problem;
      }
      continue;
    }
    const prefix = FIELD_RESERVED.find((p) => k.startsWith(p) && k.length > p.length);
    if (prefix === undefined) return `unknown reserved tag ${JSON.stringify(k)}: tags starting with "_" are reserved (${RESERVED_TAGS_HELP})`;
    const field = k.slice(prefix.length);
    let stated = fieldSet.get(field);
    if (stated === undefined) fieldSet.set(field, (stated = {}));
    const problem = applyStated(stated, prefix.slice(1, -1), v, maxLabelLength);
    if (problem !== null) return problem;
  }
  event.level = explicitLevel ?? levelFromTag ?? "info";
  return {
    idPrefix: segments.join("."),
    measurement: key.measurement,
    labelSuffix: labelTags.length > 0 ? ` (${labelTags.join(", ")})` : "",
    lineSet,
    fieldSet,
    event,
  };
}

function applyStated(into: Partial<MetricFields>, what: string, value: string, maxLabelLength: number): string | null {
  if (value.length > maxLabelLength) return `_${what} is longer than ${maxLabelLength} characters`;
  if (what === "kind") {
    if (!(METRIC_KINDS as readonly string[]).includes(value)) return `invalid _kind ${JSON.stringify(value)}: one of ${METRIC_KINDS.join(", ")}`;
    into.kind = value as MetricKind;
  } else if (what === "unit") into.unit = value;
  else if (what === "label") into.label = value;
  else into.group = value;
  return null;
}

/** The id and declaration of one field of a mapped key. */
export function fieldMetric(mapping: SeriesKeyMapping, field: string, maxLabelLength: number): MetricDeclaration {
  const id = `${mapping.idPrefix}.${encodeSegment(field, true)}`;
  let label = `${mapping.measurement} ${field}${mapping.labelSuffix}`;
  if (label.length > maxLabelLength) label = `${label.slice(0, maxLabelLength - 1)}…`;
  const perField = mapping.fieldSet.get(field);
  const hasLine = Object.keys(mapping.lineSet).length > 0;
  const declaration: MetricDeclaration = {
    id,
    defaults: { label, group: mapping.measurement, unit: "", kind: "gauge" },
  };
  if (hasLine || perField !== undefined) declaration.set = { ...mapping.lineSet, ...perField };
  return declaration;
}
