export function findRedisServer(): string | undefined;
export const REDIS_INSTALL_HINT: string;
export function ensureRedisServer(options?: { log?: (line: string) => void }): string;
