import type { RedisOptions } from 'bullmq';
import { isIP } from 'node:net';

/** The BullMQ queue every sweep driver and worker on one Redis shares. */
export const QUEUE_NAME = 'mnist-lab-sweep';

/** Queued sweeps' libraries: optional peer dependencies, so that nobody else installs them. */
const QUEUE_LIBRARIES = ['bullmq', 'ioredis'] as const;

/**
 * Fails in one line naming the command to run when BullMQ or ioredis is not installed; call it
 * before loading any module that imports them.
 */
export function checkQueueLibraries(command: string): void {
  const missing = QUEUE_LIBRARIES.filter((name) => {
    try {
      import.meta.resolve(name);
      return false;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return true;
      throw e;
    }
  });
  if (missing.length === 0) return;
  throw new Error(
    `${command} needs ${missing.join(' and ')}, optional and not installed: run \`npm install ${missing.join(' ')}\`, then try again.`,
  );
}

/** Env var holding the Redis password when the URL has none (keeps it out of `ps`). */
export const PASSWORD_ENV = 'MNIST_LAB_REDIS_PASSWORD';

export interface QueueConnection {
  /** ioredis options for BullMQ: reconnects forever, commands wait while Redis is away. */
  options: RedisOptions;
  /** The URL without its password, for messages and reports. */
  display: string;
}

/**
 * Parses `redis://[[user]:password@]host[:port][/db]` (or `rediss://` for TLS). The password may
 * come from MNIST_LAB_REDIS_PASSWORD instead.
 */
export function parseQueueUrl(text: string, env: NodeJS.ProcessEnv = process.env): QueueConnection {
  const usage = 'give redis://[:PASSWORD@]HOST[:PORT][/DB] (or rediss:// for TLS)';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--queue: '${text}' is not a URL; ${usage}.`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`--queue: ${url.protocol}// is not a Redis URL; ${usage}.`);
  }
  if (url.hostname === '') throw new Error(`--queue: '${text}' names no host; ${usage}.`);
  if (url.search !== '' || url.hash !== '') {
    throw new Error(`--queue: '${text}' has a query or fragment; ${usage}.`);
  }
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,5}$/.test(dbText)) {
    throw new Error(`--queue: the database in '${redact(url)}' must be a number, got '${dbText}'.`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? 6379 : Number(url.port);
  const password = url.password !== '' ? decodeURIComponent(url.password) : env[PASSWORD_ENV];
  const username = url.username !== '' ? decodeURIComponent(url.username) : undefined;
  const options: RedisOptions = {
    host,
    port,
    db: dbText === '' ? 0 : Number(dbText),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined && password !== '' ? { password } : {}),
    // SNI carries host names only (RFC 6066), never an IP address.
    ...(url.protocol === 'rediss:' ? { tls: isIP(host) ? {} : { servername: host } } : {}),
    // BullMQ workers block on Redis; commands wait out an outage instead of failing.
    maxRetriesPerRequest: null,
    // Back off to one attempt every 2 s, forever: a restarted Redis is picked up again.
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
  return { options, display: redact(url) };
}

/** Any Redis URL's password inside `text` replaced by ***, e.g. for a command line in a report. */
export function hidePassword(text: string): string {
  return text.replace(/(rediss?:\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@');
}

function redact(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  return copy.href.replace(/\/$/, '');
}

/**
 * Connects once, with no retries, and says in one line why it could not: a wrong URL or a
 * stopped Redis fails at start instead of waiting forever.
 */
export async function checkRedis(conn: QueueConnection, timeoutMs = 5000): Promise<void> {
  // Loaded here, not at start: commands that never queue do not pay for it.
  const { Redis } = await import('ioredis');
  const client = new Redis({
    ...conn.options,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  // The socket's own error (ECONNREFUSED, a TLS failure) says more than 'Connection is closed'.
  let cause: Error | null = null;
  client.on('error', (e: Error) => (cause ??= e));
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    const why = (cause ?? (e as Error)).message.replace(/\.$/, '');
    throw new Error(
      `cannot reach Redis at ${conn.display} (${why}). Start Redis there, or fix --queue.`,
    );
  } finally {
    client.disconnect();
  }
}
