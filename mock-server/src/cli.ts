/**
 * `npm run mock -- [flags]`: runs the mock metrics server until SIGINT or SIGTERM.
 * Exit codes: 0 after a clean shutdown or --help, 1 when the server cannot start (port in
 * use), 2 for bad flags.
 */
import { FlagError, helpText, parseMockFlags } from "./flags.js";
import { startMockServer } from "./server.js";

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseMockFlags(argv);
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    process.stderr.write(`pulseboard-mock: ${error.message}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  const stamp = () => new Date().toISOString().slice(11, 23);
  const log = parsed.quiet ? () => {} : (line: string) => process.stdout.write(`${stamp()} ${line}\n`);
  let server;
  try {
    server = await startMockServer({ ...parsed.options, log });
  } catch (error) {
    process.stderr.write(`pulseboard-mock: cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  const { options } = server.service;
  process.stdout.write(
    `Pulseboard mock server on ${server.url} (WebSocket ${server.wsUrl}) - ` +
      `${server.service.metrics.length} metrics, core at ${options.rateHz} Hz, tick ${options.tickMs} ms, seed ${options.seed}` +
      `${options.faults ? ", fault API at /admin/faults" : ""}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`${signal}: shutting down\n`);
      resolve();
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  await server.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pulseboard-mock: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
