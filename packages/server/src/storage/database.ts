/**
 * Opens the server's database, embedded (PGlite, files in a folder) or a PostgreSQL server, and
 * brings its schema up to date with the committed migrations. Migrations run under a PostgreSQL
 * advisory lock, so several instances may start at once against one database.
 *
 * A PostgreSQL server may go away while the server runs (a restart, a failover, a network cut) or
 * have every connection of the pool in use: waiting for a connection is bounded
 * (`connectionTimeoutMs`), a statement is cancelled by PostgreSQL after `statementTimeoutMs`, and
 * `isDatabaseUnavailable()` tells those failures from the others, so that the error middleware
 * answers them with a retryable 503 `database_unavailable`. The pool reconnects by itself.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { DrizzleQueryError, sql } from 'drizzle-orm';
import type { MigrationConfig } from 'drizzle-orm/migrator';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.js';

/** The query builder over the server's schema; transactions are the same type. */
export type TillkitDb = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface TillkitDatabase {
  readonly db: TillkitDb;
  readonly engine: 'pglite' | 'postgres';
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `postgres://…`: a PostgreSQL server (15 or newer). Unset: the embedded database. */
  url?: string | undefined;
  /** Where the embedded database keeps its files; in memory when unset. */
  dataDir?: string | undefined;
  /** Connections in the PostgreSQL pool. @default 10 */
  poolSize?: number;
  /**
   * How long a query waits for a connection (a new one, or a free one of a full pool) before it
   * fails with `database_unavailable`, in milliseconds.
   * @default 5000
   */
  connectionTimeoutMs?: number;
  /**
   * PostgreSQL cancels a statement that runs longer than this (`statement_timeout`), in
   * milliseconds; keep it above the webhooks' 20 s lock timeout (30 s is a good value).
   * Migrations are not bound by it. Off by default: pg sends it when connecting, as a startup
   * parameter, which PgBouncer refuses unless its `ignore_startup_parameters` lists it.
   * @default undefined (PostgreSQL's own setting)
   */
  statementTimeoutMs?: number;
}

const DEFAULT_CONNECTION_TIMEOUT_MS = 5000;

/** The committed migrations (`packages/server/drizzle`), next to both `src/` and `dist/`. */
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

const MIGRATION_CONFIG: MigrationConfig = {
  migrationsFolder: MIGRATIONS_FOLDER,
  migrationsTable: 'tillkit_migrations',
  migrationsSchema: 'public',
};

/** Key of the advisory lock held while migrating (any constant unique to Tillkit). */
const MIGRATION_LOCK = 7_418_552_011;

/**
 * Opens the database and applies pending migrations.
 * @example
 * const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: '.tillkit/db' });
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<TillkitDatabase> {
  if (options.url) return openPostgres(options.url, options);
  return openPglite(options.dataDir);
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<TillkitDatabase> {
  const pool = new TillkitPool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Without it, a query waits forever for a connection when every one is in use or the server
    // does not answer (a dropped network): https://node-postgres.com/apis/pool
    connectionTimeoutMillis: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    // Sent at connect time, so PostgreSQL itself cancels the statement (57014) and the connection
    // stays usable; pg's client-side `query_timeout` would leave the query running on it.
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // An idle client that loses its connection emits 'error'; without a listener it would crash.
  pool.on('error', () => {});
  // So would a checked-out one that loses it between two queries (a transaction waiting on a
  // Stripe call while PostgreSQL restarts): the pool listens only to idle clients. Its next query
  // fails instead ("not queryable"), and the pool drops it when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  const client = await pool.connect().catch(async (error: Error) => {
    await pool.end();
    throw new Error(
      `Could not connect to the PostgreSQL server in DATABASE_URL (${redactUrl(url)}): ${error.message}`,
      { cause: error },
    );
  });
  try {
    const lockDb = drizzleNodePg(client, { schema });
    // Waiting for another instance's migrations, and running a long one, may take any time.
    await lockDb.execute(sql`set statement_timeout = 0`);
    await lockDb.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      await migrateNodePg(lockDb, MIGRATION_CONFIG);
    } finally {
      await lockDb.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
    await lockDb.execute(sql`reset statement_timeout`);
  } finally {
    client.release();
  }
  const db = drizzleNodePg(pool, { schema });
  return {
    db: db as unknown as TillkitDb,
    engine: 'postgres',
    async ping() {
      await db.execute(sql`select 1`);
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | undefined): Promise<TillkitDatabase> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite(client, { schema });
  // One connection: the lock is uncontended, but the code path is the same as on a server.
  await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`);
  try {
    await migratePglite(db, MIGRATION_CONFIG);
  } finally {
    await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`);
  }
  return {
    db: db as unknown as TillkitDb,
    engine: 'pglite',
    async ping() {
      await db.execute(sql`select 1`);
    },
    close: () => client.close(),
  };
}

/** The pool could not give a connection for a transaction (refused, timed out, pool full). */
export class DatabaseConnectionError extends Error {
  override name = 'DatabaseConnectionError';
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * pg's pool, whose promise `connect()` (what drizzle's transactions call) wraps its failures in
 * `DatabaseConnectionError`, as drizzle wraps a query's in `DrizzleQueryError`: so that
 * `isDatabaseUnavailable()` knows an `ECONNREFUSED` came from the database, not from a host's
 * `identify()` or a hook calling another service.
 */
class TillkitPool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (
      error: Error | undefined,
      client: pg.PoolClient | undefined,
      done: () => void,
    ) => void,
  ): void;
  override connect(
    callback?: (
      error: Error | undefined,
      client: pg.PoolClient | undefined,
      done: () => void,
    ) => void,
  ): Promise<pg.PoolClient> | undefined {
    // pg-pool's own `query()` calls back; its errors reach drizzle, which wraps them.
    if (callback) {
      super.connect(callback);
      return undefined;
    }
    return super.connect().catch((error: unknown) => {
      throw new DatabaseConnectionError(error);
    });
  }
}

/**
 * SQLSTATEs of a server that cannot serve: connection exceptions (class 08), shut down by an
 * administrator or a crash, starting up or shutting down, out of connection slots.
 * @see https://www.postgresql.org/docs/15/errcodes-appendix.html
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** Socket errors of a server that is down or out of reach (the network, or its DNS name). */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * What pg and pg-pool throw, with no code, when a connection is lost or cannot be had: a server
 * that closed it ("Connection terminated unexpectedly"), a connection that never answered
 * ("Connection terminated due to connection timeout"), a full pool ("timeout exceeded when trying
 * to connect"), a query on a client whose connection broke ("… is not queryable").
 */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated\b/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
];

/** One error (not its causes) says the connection is lost or cannot be had. */
function saysUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message, errors } = error as {
    code?: unknown;
    message?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string') {
    return UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code);
  }
  if (
    typeof message === 'string' &&
    UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))
  ) {
    return true;
  }
  // Node's AggregateError when every address of a host name refused.
  return Array.isArray(errors) && errors.some(saysUnavailable);
}

/**
 * True when `error` says that the server's PostgreSQL database cannot be reached or has no
 * connection to give, a condition that passes when it is back, rather than a failing statement:
 * a failed query (drizzle's `DrizzleQueryError`) or transaction start (`DatabaseConnectionError`)
 * whose cause is a lost, refused or timed-out connection. The same socket error from anything
 * else (an auth server, a hook's email provider) is not the database's.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let fromDatabase = false;
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    if (current instanceof DrizzleQueryError || current instanceof DatabaseConnectionError) {
      fromDatabase = true;
    } else if (fromDatabase && saysUnavailable(current)) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}
