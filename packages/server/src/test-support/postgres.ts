/**
 * A throwaway PostgreSQL server for tests: `initdb` and `pg_ctl` from the PostgreSQL 15 binaries,
 * run as the `postgres` user when the tests run as root (the server refuses root), data in a
 * temporary folder, a free port, a Unix socket in the same folder. `stop()` removes everything.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { chown } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PostgresCluster {
  port: number;
  /** `postgres://postgres@127.0.0.1:PORT/<database>` */
  url(database?: string): string;
  /** Creates an empty database and answers its URL. */
  createDatabase(name: string): Promise<string>;
  /**
   * Shuts the server down and keeps its data, as a restart or a failover does (`pg_ctl stop -m`):
   * `fast` ends every session (57P01), `immediate` drops them, `smart` waits for them to end
   * while refusing new ones (57P03), and does not wait itself.
   */
  shutdown(mode: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** Starts it again after `shutdown()`, on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** @default $TILLKIT_PG_BIN or /usr/lib/postgresql/15/bin */
  binDir?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([
    run('id', ['-u', 'postgres']),
    run('id', ['-g', 'postgres']),
  ]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresCluster> {
  const binDir = options.binDir ?? process.env.TILLKIT_PG_BIN ?? '/usr/lib/postgresql/15/bin';
  if (!existsSync(join(binDir, 'initdb'))) {
    throw new Error(
      `No PostgreSQL binaries in ${binDir}: install them (Debian: apt-get install postgresql-15) or set TILLKIT_PG_BIN.`,
    );
  }
  const asRoot = process.getuid?.() === 0;
  const root = mkdtempSync(join(tmpdir(), 'tillkit-pg-'));
  const dataDir = join(root, 'data');
  const exec = (command: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(binDir, command), ...args])
      : run(join(binDir, command), args);
  try {
    if (asRoot) {
      const { uid, gid } = await postgresIds();
      await chown(root, uid, gid);
    }
    await exec('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--no-sync',
      '--no-instructions',
    ]);
    const port = await freePort();
    const start = () =>
      exec('pg_ctl', [
        '-D',
        dataDir,
        '-l',
        join(root, 'server.log'),
        '-w',
        '-t',
        '60',
        '-o',
        `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
        'start',
      ]);
    await start();
    const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
    return {
      port,
      url,
      async createDatabase(name) {
        const client = new pg.Client({ connectionString: url() });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
        } finally {
          await client.end();
        }
        return url(name);
      },
      async shutdown(mode) {
        await exec('pg_ctl', ['-D', dataDir, '-m', mode, mode === 'smart' ? '-W' : '-w', 'stop']);
      },
      async restart() {
        await start();
      },
      async stop() {
        await exec('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => {});
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await exec('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']).catch(() => {});
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
