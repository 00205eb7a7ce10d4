import { describe, expect, it } from 'vitest';
import { containerLimits, memoryLimitMiB, memoryRequestMiB, pidsLimit } from '../../generators/lib/container-limits.js';
import { defaultMaxRequestWorkers } from '../../generators/lib/tunables.js';

describe('container limits', () => {
  it('sizes memory by daemon processes: the limit is twice the request', () => {
    expect([1, 2, 8].map(memoryRequestMiB)).toEqual([192, 320, 1088]);
    expect([1, 2, 8].map(memoryLimitMiB)).toEqual([384, 640, 2176]);
  });

  it('keeps the pids limit above what Apache and the daemon start, at least 512', () => {
    expect(pidsLimit(2, 5)).toBe(512);
    // 8 x 25 daemon threads: Apache derives 800 workers, each of which is a thread.
    expect(pidsLimit(8, 25)).toBe(3_200);
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
      ['CONTAINER_PIDS_LIMIT', '512'],
      ['CONTAINER_TMP_SIZE', '64m'],
      ['CONTAINER_LOG_MAX_SIZE', '10m'],
      ['CONTAINER_LOG_MAX_FILE', '3'],
    ]);
  });
});
