/**
 * Protocol v1's resume rules (docs/protocol.md, "Resume and gaps"), as one pure function of a
 * stream's state, shared by every engine: where a reader with cursor (epoch, since) continues,
 * and the exact range it cannot get back.
 */
import { randomBytes } from "node:crypto";
import type { GapFrame } from "../wire.js";

export interface StreamPosition {
  epoch: string;
  seq: number;
  oldestSeq: number;
}

export type ReadPlan =
  | {
      ok: true;
      /** Seq of the first frame to send. */
      nextSeq: number;
      /** The since applied in the current epoch (null: nothing to replay). */
      since: number | null;
      /** Sent before the frames when some of them are no longer retained. */
      gap?: GapFrame;
    }
  | { ok: false; message: string };

/**
 * - since null/undefined: nothing to replay, continue after the current seq;
 * - epoch given and not the current one: since 0 in this epoch, with a gap of reason "epoch"
 *   for the seqs of this epoch already evicted (none when it is retained from seq 1);
 * - since > seq: bad_since;
 * - since older than what is retained: gap {since+1 .. oldestSeq-1, "retention"}.
 */
export function planRead(position: StreamPosition, since: number | null | undefined, epoch: string | undefined): ReadPlan {
  if (since === null || since === undefined) return { ok: true, nextSeq: position.seq + 1, since: null };
  const oldest = position.oldestSeq;
  if (epoch !== undefined && epoch !== position.epoch) {
    if (oldest === 1) return { ok: true, nextSeq: 1, since: 0 };
    return { ok: true, nextSeq: oldest, since: 0, gap: { type: "gap", from: 1, to: oldest - 1, reason: "epoch" } };
  }
  if (since > position.seq) {
    return { ok: false, message: `since ${since} is ahead of the newest seq ${position.seq} of epoch ${position.epoch}` };
  }
  if (since < oldest - 1) return { ok: true, nextSeq: oldest, since, gap: { type: "gap", from: since + 1, to: oldest - 1, reason: "retention" } };
  return { ok: true, nextSeq: since + 1, since };
}

/** A new epoch name: the time in base 36 and random letters, unique across processes. */
export function newEpochName(now: number): string {
  return `${Math.max(0, Math.floor(now)).toString(36)}-${randomBytes(4).toString("hex")}`;
}
