/**
 * Once per test run of the server project: one throwaway PostgreSQL 15 server (each test file
 * makes its own databases in it) and one migrated PGlite data folder that tests copy, which is
 * several times faster than creating a PGlite database from scratch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../storage/database.js';
import { startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const templateRoot = mkdtempSync(join(tmpdir(), 'tillkit-pglite-'));
  const template = join(templateRoot, 'db');
  const [cluster, database] = await Promise.all([
    startPostgres(),
    openDatabase({ dataDir: template }),
  ]);
  await database.close();
  project.provide('postgresUrl', cluster.url());
  project.provide('pgliteTemplate', template);
  return async () => {
    await cluster.stop();
    rmSync(templateRoot, { recursive: true, force: true });
  };
}
