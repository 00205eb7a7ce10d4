import { REAPER_IMAGE } from 'testcontainers/build/reaper/reaper.js';
import { describe, expect, it, vi } from 'vitest';
import { ensureRyuk, ryukImage, type RyukEngine, type RyukOutcome, shortReason } from '../../generators/lib/ryuk.js';

const IMAGE = 'testcontainers/ryuk:0.14.0';
const OFFLINE =
  '(HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.53:53: no such host ';

function fakeEngine(present: boolean, pull: RyukEngine['pull'] = async () => {}) {
  return { hasImage: vi.fn(async () => present), pull: vi.fn(pull) };
}

/** ensureRyuk with `engine`, an empty environment and a recorded `say`; expects Ryuk kept, nothing said or set. */
async function expectKept(engine: RyukEngine, outcome: RyukOutcome): Promise<void> {
  const env: NodeJS.ProcessEnv = {};
  const say = vi.fn();
  expect(await ensureRyuk({ env, engine, say })).toEqual(outcome);
  expect(env).toEqual({});
  expect(say).not.toHaveBeenCalled();
}

describe('ensureRyuk', () => {
  it('keeps Ryuk when its image is present, without pulling', async () => {
    const engine = fakeEngine(true);
    await expectKept(engine, { ryuk: 'present', image: IMAGE });
    expect(engine.hasImage).toHaveBeenCalledWith(IMAGE);
    expect(engine.pull).not.toHaveBeenCalled();
  });

  it('keeps Ryuk when its absent image pulls', async () => {
    const engine = fakeEngine(false);
    await expectKept(engine, { ryuk: 'pulled', image: IMAGE });
    expect(engine.pull).toHaveBeenCalledWith(IMAGE, expect.any(AbortSignal));
  });

  it('turns Ryuk off with one line when the pull fails', async () => {
    const env: NodeJS.ProcessEnv = {};
    const say = vi.fn();
    const engine = fakeEngine(false, async () => {
      throw new Error(OFFLINE);
    });
    const outcome = await ensureRyuk({ env, engine, say });
    const reason =
      'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.53:53: no such host';
    expect(outcome).toEqual({ ryuk: 'disabled', image: IMAGE, reason });
    expect(env.TESTCONTAINERS_RYUK_DISABLED).toBe('true');
    expect(say.mock.calls).toEqual([
      [
        `Ryuk (${IMAGE}) is neither present nor pullable (${reason}): running without it; this check removes what it starts itself.`,
      ],
    ]);
  });

  it('turns Ryuk off when the pull outlasts the timeout, and aborts it', async () => {
    const env: NodeJS.ProcessEnv = {};
    const say = vi.fn();
    let signal: AbortSignal | undefined;
    const engine = fakeEngine(false, (_image, s) => ((signal = s), new Promise<void>(() => {})));
    const outcome = await ensureRyuk({ env, engine, say, pullTimeoutMs: 50 });
    expect(outcome).toMatchObject({ ryuk: 'disabled', reason: 'no answer within 0.05 s' });
    expect(signal?.aborted).toBe(true);
    expect(env.TESTCONTAINERS_RYUK_DISABLED).toBe('true');
    expect(say).toHaveBeenCalledTimes(1);
  });

  it.each(['true', 'false'])('leaves TESTCONTAINERS_RYUK_DISABLED=%s and the engine alone', async value => {
    const env: NodeJS.ProcessEnv = { TESTCONTAINERS_RYUK_DISABLED: value };
    const engine = fakeEngine(false, async () => {
      throw new Error(OFFLINE);
    });
    const say = vi.fn();
    expect(await ensureRyuk({ env, engine, say })).toEqual({ ryuk: 'preset', image: IMAGE });
    expect(env).toEqual({ TESTCONTAINERS_RYUK_DISABLED: value });
    expect(engine.hasImage).not.toHaveBeenCalled();
    expect(engine.pull).not.toHaveBeenCalled();
    expect(say).not.toHaveBeenCalled();
  });

  it('checks the image RYUK_CONTAINER_IMAGE names', async () => {
    const engine = fakeEngine(true);
    await ensureRyuk({ env: { RYUK_CONTAINER_IMAGE: 'mirror.example:5000/ryuk:1.0' }, engine, say: vi.fn() });
    expect(engine.hasImage).toHaveBeenCalledWith('mirror.example:5000/ryuk:1.0');
  });
});

describe('ryukImage', () => {
  it('is the image this Testcontainers version starts', () => {
    expect(ryukImage()).toBe(REAPER_IMAGE);
  });
});

describe('shortReason', () => {
  it('keeps one line and caps its length', () => {
    expect(shortReason(new Error('a\n  b'))).toBe('a b');
    expect(shortReason(new Error('x'.repeat(500)))).toHaveLength(160);
    expect(shortReason('')).toBe('unknown error');
  });
});
