/**
 * A redis-server of the test's own: a free loopback port (picked by binding a probe socket,
 * never 6379), `--save "" --appendonly no`, in a temporary directory, stopped by pid. The
 * executable comes from scripts/redis.mjs, which `npm test` runs first (ensure-redis.mjs): a
 * machine without redis-server fails loudly, never skips.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findRedisServer } from "../../../../scripts/redis.mjs";

/** A free TCP port on 127.0.0.1: bind port 0, read it, release it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Sends one inline command and returns the first reply line (bounded in time). */
export async function rawCommand(port: number, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let data = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply to ${command} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.connect(port, "127.0.0.1", () => socket.write(`${command}\r\n`));
    socket.on("data", (chunk) => {
      data += chunk.toString("utf8");
      const end = data.indexOf("\r\n");
      if (end >= 0) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data.slice(0, end));
      }
    });
  });
}

export class RedisServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly executable: string,
  ) {}

  /** Starts a server on a free port in a new temporary directory. */
  static async start(): Promise<RedisServer> {
    const executable = findRedisServer();
    if (executable === undefined) throw new Error("No redis-server found. Run `node scripts/ensure-redis.mjs` (npm test does).");
    const dir = mkdtempSync(join(tmpdir(), "pulseboard-redis-"));
    // Another process may take the probed port before redis-server binds it: try again.
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const server = new RedisServer(await freePort(), dir, executable);
      try {
        await server.launch();
        return server;
      } catch (error) {
        lastError = error;
        await server.stop({ keepDir: true });
      }
    }
    rmSync(dir, { recursive: true, force: true });
    throw lastError;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts redis-server on this port and directory (again, after a stop), and waits for PONG. */
  async launch(): Promise<void> {
    const child = spawn(
      this.executable,
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.dir, "--dbfilename", "dump.rdb", "--protected-mode", "yes"],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    this.child = child;
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    const deadline = Date.now() + 5000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} on port ${this.port}`);
      try {
        if ((await rawCommand(this.port, "PING", 500)) === "+PONG") return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not answer PING within 5 s`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Writes the data set to dump.rdb (so the next launch reloads it). */
  async save(): Promise<void> {
    const reply = await rawCommand(this.port, "SAVE");
    if (reply !== "+OK") throw new Error(`SAVE answered ${reply}`);
  }

  /** Stops the process by pid (SIGTERM, then SIGKILL after 3 s) and waits for it to exit. */
  async stop(options: { keepDir?: boolean } = {}): Promise<void> {
    const child = this.child;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await this.exited;
      clearTimeout(killer);
    }
    this.child = undefined;
    if (!options.keepDir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Stops, deletes the saved data set, and starts again empty. */
  async wipe(): Promise<void> {
    await this.stop({ keepDir: true });
    rmSync(join(this.dir, "dump.rdb"), { force: true });
    await this.launch();
  }

  /** Stops and starts again on the same port and directory. */
  async restart(): Promise<void> {
    await this.stop({ keepDir: true });
    await this.launch();
  }
}
