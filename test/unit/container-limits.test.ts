import { describe, expect, it } from 'vitest';
import { containerLimits, memoryLimitMiB, memoryRequestMiB, pidsLimit } from '../../generators/lib/container-limits.js';
import { defaultMaxRequestWorkers } from '../../generators/lib/tunables.js';

describe('container limits', () => {
  it('sizes memory by daemon processes: the limit is twice the request', () => {
    expect([1, 2, 8].map(memoryRequestMiB)).toEqual([192, 320, 1088]);
    expect([1, 2, 8].map(memoryLimitMiB)).toEqual([384, 640, 2176]);
  });

  it('keeps the pids limit above what Apache and the daemon start, at least 512', () => {
    // Apache's 1,024 workers at least (the slow-client minimum), each a thread.
    expect(pidsLimit(2, 5)).toBe(4_096);
    // 8 x 50 daemon threads: Apache derives 1,600 workers.
    expect(pidsLimit(8, 50)).toBe(6_400);
    for (const [processes, threads] of [
      [1, 1],
      [4, 16],
      [64, 78],
    ] as const) {
      expect(pidsLimit(processes, threads)).toBeGreaterThan(
        defaultMaxRequestWorkers(processes, threads) + processes * threads,
      );
    }
  });

  it('names each bound once, with a Compose default', () => {
    const limits = containerLimits(2, 5);
    expect(limits.map(limit => [limit.env, limit.value])).toEqual([
      ['CONTAINER_MEMORY_LIMIT', '640m'],
      ['CONTAINER_PIDS_LIMIT', '4096'],
      ['CONTAINER_TMP_SIZE', '64m'],
      ['CONTAINER_LOG_MAX_SIZE', '10m'],
      ['CONTAINER_LOG_MAX_FILE', '3'],
    ]);
  });
});
