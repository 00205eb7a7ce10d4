import type Docker from 'dockerode';

export interface StatsPeaks {
  /** highest memory in use seen, bytes (page cache excluded where the engine reports it) */
  peakMemoryBytes: number;
  /** highest CPU seen, percent of one core */
  peakCpuPercent: number;
}

/**
 * Follows a container's Docker stats stream (one sample a second) and keeps the peaks.
 * @returns `stop()`, which ends the stream and gives the peaks seen so far
 */
export async function followStats(container: Docker.Container): Promise<{ stop(): StatsPeaks }> {
  const peaks: StatsPeaks = { peakMemoryBytes: 0, peakCpuPercent: 0 };
  const stream = await container.stats({ stream: true });
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim()) record(JSON.parse(line) as Docker.ContainerStats, peaks);
    }
  });
  stream.on('error', () => undefined);
  return {
    stop: () => {
      // The HTTP response behind the stream (a Readable) has destroy(); the type only says ReadableStream.
      if ('destroy' in stream && typeof stream.destroy === 'function') stream.destroy();
      return { ...peaks };
    },
  };
}

/**
 * The `memory_stats` of a Docker stats sample: the engine fills `stats` from the cgroup's
 * memory.stat, cgroup v1 keys (`total_inactive_file`, `cache`) or v2 ones (`inactive_file`).
 */
export interface MemoryStats {
  usage?: number;
  stats?: Partial<Record<'total_inactive_file' | 'inactive_file' | 'cache', number>>;
}

/**
 * Memory in use without the page cache, as `docker stats` shows it: usage minus cgroup v1
 * `total_inactive_file`, else v2 `inactive_file`, else v1 `cache`.
 * @returns bytes; 0 for a sample without memory figures (a stopped container)
 */
export function memoryInUse(memory: MemoryStats | undefined): number {
  const cache = memory?.stats?.total_inactive_file ?? memory?.stats?.inactive_file ?? memory?.stats?.cache ?? 0;
  return (memory?.usage ?? 0) - cache;
}

function record(sample: Docker.ContainerStats, peaks: StatsPeaks): void {
  if (sample.memory_stats?.usage) {
    peaks.peakMemoryBytes = Math.max(peaks.peakMemoryBytes, memoryInUse(sample.memory_stats as MemoryStats));
  }
  const cpuDelta = sample.cpu_stats.cpu_usage.total_usage - sample.precpu_stats.cpu_usage.total_usage;
  const systemDelta = (sample.cpu_stats.system_cpu_usage ?? 0) - (sample.precpu_stats.system_cpu_usage ?? 0);
  const cpus = sample.cpu_stats.online_cpus ?? sample.cpu_stats.cpu_usage.percpu_usage?.length ?? 1;
  if (cpuDelta > 0 && systemDelta > 0)
    peaks.peakCpuPercent = Math.max(peaks.peakCpuPercent, (cpuDelta / systemDelta) * cpus * 100);
}
