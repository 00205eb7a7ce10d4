import { describe, expect, it } from 'vitest';
import { demuxDockerStream } from '../../generators/lib/docker-streams.js';

const frame = (type: number, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe('demuxDockerStream', () => {
  it('joins stdout and stderr payloads in order, without the 8-byte headers', () => {
    const stream = Buffer.concat([frame(1, 'out one\n'), frame(2, 'err\n'), frame(1, 'out two')]);
    expect(demuxDockerStream(stream)).toBe('out one\nerr\nout two');
  });
  it('ignores a truncated trailing header', () => {
    expect(demuxDockerStream(Buffer.concat([frame(1, 'ok'), Buffer.from([1, 0, 0])]))).toBe('ok');
  });
});
