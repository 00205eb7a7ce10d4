/**
 * runtime/devtools.wsgi outside Apache: the request recorder's masking of secrets, its body
 * limit and its size budget, on a copy of the file beside a docker/wsgi-apache.json as the
 * generator writes it. The dev-tools integration test runs it in the daemon processes.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../generators/lib/package-root.js';
import { TUNABLES } from '../../generators/lib/tunables.js';
import { runWithModule } from '../helpers/runtime-module.js';

/** The tools' caps as envvars exports them in the image: each tunable's default (tunables.ts), the one place it is written. */
const EXPORTED = Object.fromEntries(TUNABLES.map(t => [t.env, String(t.fallback ?? t.min)]));

/** A recording as the recorder writes it (the parts these tests read). */
interface Recording {
  request: { path: string; environ: Record<string, unknown>; body: unknown };
  response: unknown;
}

/** A project whose docker/ holds devtools.wsgi and its data file; returns the project directory. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'devtools-'));
  mkdirSync(join(root, 'docker'));
  copyFileSync(join(packageRoot(), 'runtime/devtools.wsgi'), join(root, 'docker/devtools.wsgi'));
  const devTools = { apps: {}, outputDir: '.wsgi', coveragePath: '', healthcheckUserAgent: 'probe' };
  writeFileSync(join(root, 'docker/wsgi-apache.json'), JSON.stringify({ devTools }));
  return root;
}

/** Sends `requests` requests through a Recorder around a small app, in a Python process with `env`. */
function record(root: string, requests: number, env: Record<string, string>) {
  const code = [
    'import io',
    'def app(environ, start_response):',
    '    environ["wsgi.input"].read()',
    '    start_response("200 OK", [("Set-Cookie", "session=s3cr3t; Path=/; HttpOnly"), ("X-Token", "t0k3n")])',
    '    return [b"x" * 100]',
    'recorder = devtools.Recorder(app)',
    `for n in range(${requests}):`,
    '    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": f"/r{n}", "wsgi.input": io.BytesIO(b"b" * 100),',
    '               "HTTP_AUTHORIZATION": "Bearer abc.def", "HTTP_COOKIE": "a=1; csrftoken=2", "HTTP_X_TOKEN": "t0k3n"}',
    '    body = recorder(environ, lambda status, headers, exc_info=None: None)',
    '    b"".join(body)',
    '    body.close()',
  ].join('\n');
  const result = runWithModule(join(root, 'docker/devtools.wsgi'), 'devtools', code, { ...EXPORTED, ...env });
  expect(result.stderr).toBe('');
  const directory = join(root, '.wsgi/recordings');
  return readdirSync(directory)
    .sort()
    .map(name => JSON.parse(readFileSync(join(directory, name), 'utf8')) as Recording);
}

describe('runtime/devtools.wsgi, the recorder', () => {
  it('masks credentials, cookies and the headers WSGI_RECORDER_MASK names; cuts bodies at WSGI_RECORDER_BODY_LIMIT', () => {
    const [recording] = record(project(), 1, { WSGI_RECORDER_BODY_LIMIT: '10', WSGI_RECORDER_MASK: 'X-Token' });
    expect(recording.request.environ).toMatchObject({
      HTTP_AUTHORIZATION: 'Bearer ****',
      HTTP_COOKIE: 'a=****; csrftoken=****',
      HTTP_X_TOKEN: '****',
    });
    expect(recording.request.body).toEqual({ bytes: 100, truncated: true, text: 'b'.repeat(10), limit: 10 });
    expect(recording.response).toEqual({
      status: '200 OK',
      headers: [
        ['Set-Cookie', 'session=****; Path=/; HttpOnly'],
        ['X-Token', '****'],
      ],
      body: { bytes: 100, truncated: true, text: 'x'.repeat(10), limit: 10 },
    });
    expect(JSON.stringify(recording)).not.toMatch(/abc\.def|s3cr3t|t0k3n/);
  });

  it('keeps the recordings within WSGI_RECORDER_MAX_BYTES, dropping the oldest first', () => {
    const root = project();
    const recordings = record(root, 40, { WSGI_RECORDER_MAX_BYTES: '16000' });
    const bytes = readdirSync(join(root, '.wsgi/recordings')).reduce(
      (sum, name) => sum + readFileSync(join(root, '.wsgi/recordings', name)).length,
      0,
    );
    expect(bytes).toBeLessThanOrEqual(16000);
    expect(recordings.length).toBeLessThan(40);
    // The newest stay: the last request's recording is there.
    expect(recordings.map(r => r.request.path)).toContain('/r39');
  });
});
