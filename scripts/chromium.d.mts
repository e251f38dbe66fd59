export function findChromium(): string | undefined;
export const CHROMIUM_ARGS: string[];
export function ensureChromium(options?: { log?: (line: string) => void }): string;
