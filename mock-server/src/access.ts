/**
 * Access control shared by HTTP and WebSocket: the optional token and Origin allow-list.
 *
 * Browsers cannot set headers on a WebSocket, so the token travels as `?token=` there; HTTP
 * accepts it as `Authorization: Bearer T` too. The Origin check protects browsers only (a
 * non-browser client sends whatever Origin it likes, or none): requests without an Origin
 * header pass it.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** The token presented by a request, if any. */
export function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice("Bearer ".length).trim();
  return url.searchParams.get("token") ?? undefined;
}

/**
 * Compares tokens in constant time. Both are hashed first so that the comparison does not
 * leak the expected token's length either.
 */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = createHash("sha256").update(expected).digest();
  const b = createHash("sha256").update(presented).digest();
  return timingSafeEqual(a, b);
}

/** Whether the request's Origin (if it has one) is allowed. */
export function originAllowed(req: IncomingMessage, allowedOrigins: readonly string[] | undefined): boolean {
  const origin = req.headers.origin;
  if (!allowedOrigins || origin === undefined) return true;
  return allowedOrigins.includes(origin);
}
