/**
 * Opens the server's database, embedded (PGlite, files in a folder) or a PostgreSQL server, and
 * brings its schema up to date with the committed migrations. Migrations run under a PostgreSQL
 * advisory lock, so several instances may start at once against one database.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
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
}

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
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10);
  return openPglite(options.dataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<TillkitDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its connection emits 'error'; without a listener it would crash.
  pool.on('error', () => {});
  const client = await pool.connect().catch(async (error: Error) => {
    await pool.end();
    throw new Error(
      `Could not connect to the PostgreSQL server in DATABASE_URL (${redactUrl(url)}): ${error.message}`,
      { cause: error },
    );
  });
  try {
    const lockDb = drizzleNodePg(client, { schema });
    await lockDb.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      await migrateNodePg(lockDb, MIGRATION_CONFIG);
    } finally {
      await lockDb.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
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
