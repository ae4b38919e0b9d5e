import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL tests use: TEST_DATABASE_URL, or the local one (trust auth) CI starts when none answers. */
export const TEST_POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database of the test's own, dropped afterwards, so tests never see each other's installations. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `architect_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Rows of `sql` run against the database at `url`. */
export async function queryRows(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
