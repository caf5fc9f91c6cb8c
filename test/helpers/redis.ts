import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real Debian `redis-server` on 127.0.0.1 at a free port, its data in a temp folder. `stop`
 * saves its data first (SHUTDOWN SAVE) and `start` loads it again: a restart loses nothing.
 */
export class RedisServer {
  private child: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    readonly dir: string,
    readonly password: string | undefined,
    private readonly tls: { cert: string; key: string } | undefined,
  ) {}

  /** With `tls`, the server speaks only TLS (certificate and key files, PEM). */
  static async start(
    options: { password?: string; tls?: { cert: string; key: string } } = {},
  ): Promise<RedisServer> {
    if (spawnSync('redis-server', ['--version']).error) {
      throw new Error('redis-server is not installed: apt-get install -y redis-server');
    }
    const dir = await mkdtemp(join(tmpdir(), 'mnist-lab-redis-'));
    const server = new RedisServer(await freePort(), dir, options.password, options.tls);
    await server.start();
    return server;
  }

  /** Its URL: with the password (unless `password: false`), and a database (default 0). */
  url(options: { password?: boolean; db?: number } = {}): string {
    const auth =
      options.password !== false && this.password !== undefined ? `:${this.password}@` : '';
    const db = options.db ? `/${options.db}` : '';
    return `${this.tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${this.port}${db}`;
  }

  async start(): Promise<void> {
    const args = [
      '--bind',
      '127.0.0.1',
      ...(this.tls
        ? [
            ...['--port', '0', '--tls-port', String(this.port)],
            ...['--tls-cert-file', this.tls.cert, '--tls-key-file', this.tls.key],
            ...['--tls-auth-clients', 'no'],
          ]
        : ['--port', String(this.port)]),
      '--dir',
      this.dir,
      // A save point, so SIGTERM writes the data out and a restart loads it back.
      '--save',
      '3600 1',
      '--appendonly',
      'no',
      ...(this.password !== undefined ? ['--requirepass', this.password] : []),
    ];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const onData = (d: Buffer): void => {
        out += d.toString();
        if (/Ready to accept connections/.test(out)) {
          child.stdout!.off('data', onData);
          child.stdout!.resume();
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
    });
  }

  /** Saves the data and stops the server; the port is free until `start`. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = null;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** Stops the server and removes its data. */
  async close(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      this.child = null;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
