import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { demuxDockerStream, followProgress } from '../../generators/lib/docker-streams.js';

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

/** A Docker client whose progress stream replays `events`, then ends with `end` (null: success). */
const replaying = (events: object[], end: Error | null = null) =>
  ({
    modem: {
      followProgress: (
        _stream: NodeJS.ReadableStream,
        onFinished: (error: Error | null) => void,
        onProgress: (event: object) => void,
      ) => {
        for (const event of events) onProgress(event);
        onFinished(end);
      },
    },
  }) as unknown as Docker;

describe('followProgress', () => {
  it('passes every event without an error on, and resolves when the stream ends', async () => {
    const seen: object[] = [];
    await followProgress(replaying([{ stream: 'Step 1/2' }, { aux: { ID: 'sha256:1' } }]), new PassThrough(), {
      onEvent: event => seen.push(event),
    });
    expect(seen).toEqual([{ stream: 'Step 1/2' }, { aux: { ID: 'sha256:1' } }]);
  });
  it('rejects on an error event, with the message as `failure` words it', async () => {
    const docker = replaying([{ stream: 'Step 1/2' }, { error: 'no such file ' }]);
    await expect(
      followProgress(docker, new PassThrough(), { failure: message => `build failed: ${message.trim()}` }),
    ).rejects.toThrow(/^build failed: no such file$/);
    await expect(followProgress(docker, new PassThrough())).rejects.toThrow(/^no such file $/);
  });
  it("rejects with the stream's own error", async () => {
    await expect(followProgress(replaying([], new Error('socket hang up')), new PassThrough())).rejects.toThrow(
      'socket hang up',
    );
  });
});
