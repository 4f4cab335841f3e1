import { defineConfig } from 'drizzle-kit';

/** `pnpm db:generate` writes a migration for every change to the schema; commit it. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/storage/schema.ts',
  out: './drizzle',
  migrations: { table: 'tillkit_migrations', schema: 'public' },
});
