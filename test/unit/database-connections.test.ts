/** The check's count of the app's database connections (generators/check/database-connections.ts). */
import { describe, expect, it } from 'vitest';
import { connectionCountQuery, judgeConnections } from '../../generators/check/database-connections.js';

describe("the check's database connections", () => {
  it("counts the backends of the app's database opened from the app container's addresses", () => {
    expect(connectionCountQuery(['172.18.0.5', 'fd00::5'])).toBe(
      "SELECT count(*) FROM pg_stat_activity WHERE datname = 'app' AND client_addr IN ('172.18.0.5'::inet, 'fd00::5'::inet)",
    );
    expect(() => connectionCountQuery(["1.2.3.4'; DROP TABLE x; --"])).toThrow('not an IP address');
  });

  it('fails a check whose app held more connections than daemon threads, and only that', () => {
    expect(judgeConnections({ service: 'postgres', peak: 10, limit: 10 })).toEqual([]);
    expect(judgeConnections({ service: 'postgres', peak: 0, limit: 10 })).toEqual([]);
    expect(judgeConnections({ service: 'postgres', peak: 17, limit: 10 })).toEqual([
      'the app held 17 connections to postgres at once, more than its 10 daemon threads (processes x threads): connections are opened and not reused or closed',
    ]);
  });
});
