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
