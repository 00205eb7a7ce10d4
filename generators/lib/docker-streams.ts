import type Docker from 'dockerode';

/**
 * Docker's multiplexed stdout/stderr stream (logs, exec, attach without a TTY): each chunk
 * comes after an 8-byte header (stream type, 0, 0, 0, big-endian size).
 * @returns the payloads joined as text, stdout and stderr interleaved as they came
 */
export function demuxDockerStream(buffer: Buffer): string {
  let text = '';
  for (let i = 0; i + 8 <= buffer.length;) {
    const size = buffer.readUInt32BE(i + 4);
    text += buffer.subarray(i + 8, i + 8 + size).toString();
    i += 8 + size;
  }
  return text;
}

/**
 * Waits for a dockerode progress stream (`pull`) to end. The engine reports a
 * failed build step, layer or manifest as an event carrying `error`, not as a stream error,
 * so such an event rejects too: with `new Error(failure(event.error))`.
 * @param onEvent - called with every event that carries no error
 * @throws the stream's error, or the first error event's
 */
export function followProgress<Event extends { error?: string }>(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  {
    onEvent,
    failure = message => message,
  }: { onEvent?: (event: Event) => void; failure?: (message: string) => string } = {},
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null) => (error ? reject(error) : resolve()),
      (event: Event) => {
        if (event.error) reject(new Error(failure(event.error)));
        else onEvent?.(event);
      },
    );
  });
}
