/**
 * What the check sees of the database during the load: the connections the app's container holds
 * on the `--service postgres` server (`pg_stat_activity`), against the most the app should need,
 * one per daemon thread (processes x threads, Django's persistent connections:
 * https://docs.djangoproject.com/en/stable/ref/databases/#persistent-connections).
 */
import type { StartedTestContainer } from 'testcontainers';
import { SERVICE_DATABASE } from '../app/services.js';

/** The database figures of a check report. */
export interface DatabaseConnections {
  /** the Compose service asked (`postgres`) */
  service: string;
  /** the most connections from the app's container seen at once during the load (sampled every second) */
  peak: number;
  /** processes x threads of the app: one connection per daemon thread */
  limit: number;
}

/**
 * The SQL that counts the connections to the app's database from `addresses` (the app container's
 * addresses on the project's networks), as `pg_stat_activity` lists them (one row per backend).
 * @throws Error for an address that is not an IPv4 or IPv6 literal (it goes into the SQL)
 */
export function connectionCountQuery(addresses: readonly string[]): string {
  for (const address of addresses)
    if (!/^[0-9a-fA-F.:]+$/.test(address)) throw new Error(`not an IP address: ${JSON.stringify(address)}`);
  const list = addresses.map(address => `'${address}'::inet`).join(', ');
  return `SELECT count(*) FROM pg_stat_activity WHERE datname = '${SERVICE_DATABASE}' AND client_addr IN (${list})`;
}

/**
 * Counts the app's connections now, with psql in the database's own container.
 * @returns the count, or undefined when psql failed (the sample is then left out)
 */
export async function countConnections(
  database: StartedTestContainer,
  addresses: readonly string[],
): Promise<number | undefined> {
  const query = connectionCountQuery(addresses);
  const result = await database
    .exec(['psql', '-U', SERVICE_DATABASE, '-d', SERVICE_DATABASE, '-tAc', query])
    .catch(() => undefined);
  if (result === undefined || result.exitCode !== 0) return undefined;
  const count = Number(result.stdout.trim());
  return Number.isInteger(count) ? count : undefined;
}

/** One line when the app held more connections than daemon threads (a leak: connections not reused or not closed). */
export function judgeConnections(figures: DatabaseConnections): string[] {
  return figures.peak > figures.limit
    ? [
        `the app held ${figures.peak} connections to ${figures.service} at once, more than its ${figures.limit} daemon threads (processes x threads): connections are opened and not reused or closed`,
      ]
    : [];
}
