/**
 * Source names, the same rule as protocol v1's `?source=`: 1 to 64 characters of
 * `A-Z a-z 0-9 . _ -`. The Redis engine relies on it too: a name never contains the braces of
 * a key's hash tag (`pb:{NAME}:f`), nor a colon.
 */
const SOURCE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Why `name` is not a valid source name, or null when it is. */
export function sourceNameProblem(name: unknown): string | null {
  if (typeof name !== "string") return "the source name must be a string";
  if (!SOURCE_NAME.test(name)) return `invalid source name ${JSON.stringify(name.slice(0, 80))}: 1 to 64 characters of A-Z a-z 0-9 . _ -`;
  return null;
}
