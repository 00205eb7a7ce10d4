/**
 * Checks the corpus itself, without the generator or Apache: each app's tree, served by
 * Python's wsgiref in a debian:trixie-slim container that has only the app's apt packages,
 * answers its requests as CORPUS_APPS says; and the generator's detection finds the entries
 * the metadata says it finds. Not part of `npm test`:
 *
 *     npx vitest run --config test/corpus/vitest.config.ts
 *
 * The first run builds the sources image and one small runtime image per package set
 * (all under the Docker lock); later runs reuse them.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectProject } from '../../generators/app/detect.js';
import { runScenario } from './requests.js';
import {
  CORPUS_APPS,
  CORPUS_DIR,
  type CorpusApp,
  ensureSourcesImage,
  materialize,
  runUnderDockerLock,
} from './sources.js';

const RUNTIME_REPOSITORY = 'wsgi-apache-corpus-runtime';

function docker(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('docker', args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * debian:trixie-slim with python3-venv and exactly these packages, tagged by their hash;
 * built once (under the Docker lock) when the tag is missing.
 */
function runtimeImage(packages: string[]): string {
  const wanted = ['python3', 'python3-venv', ...packages].sort();
  const tag = `${RUNTIME_REPOSITORY}:${createHash('sha256').update(wanted.join(' ')).digest('hex').slice(0, 16)}`;
  const dockerfile = [
    'FROM debian:trixie-slim',
    'ARG DEBIAN_FRONTEND=noninteractive',
    `RUN apt-get -o Acquire::Retries=3 update && apt-get -o Acquire::Retries=3 install -y --no-install-recommends ${wanted.join(' ')} && rm -rf /var/lib/apt/lists/*`,
    '',
  ].join('\n');
  // The Dockerfile comes on stdin, with no context: nothing is copied into this image.
  const script = 'docker image inspect "$1" >/dev/null 2>&1 || docker build --tag "$1" -';
  runUnderDockerLock(['sh', '-c', script, 'sh', tag], `building ${tag} (${wanted.join(' ')})`, dockerfile);
  return tag;
}

/** Starts the app in its runtime image and waits until wsgiref answers; returns the base URL. */
async function serve(app: CorpusApp, dir: string, name: string): Promise<string> {
  const spec = {
    entry: app.entry,
    dataDirs: app.dataDirs,
    outsideWrites: app.outsideWrites,
    initCommands: app.initCommands,
    pipEnv: app.pipBuildArgs,
  };
  const image = runtimeImage([...app.libraries.flatMap(library => library.apt), ...app.buildAptPackages]);
  const started = docker([
    'run',
    '--detach',
    '--name',
    name,
    '--publish',
    '127.0.0.1::8000',
    '--volume',
    `${dir}:/src:ro`,
    '--volume',
    `${join(CORPUS_DIR, 'smoke')}:/corpus-smoke:ro`,
    image,
    'python3',
    '/corpus-smoke/serve.py',
    JSON.stringify(spec),
  ]);
  if (started.status !== 0) throw new Error(`docker run: ${started.stderr}`);
  const port = docker(['port', name, '8000/tcp']).stdout.trim().split('\n')[0]?.split(':').pop();
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const logs = docker(['logs', name]);
    if (logs.stdout.includes('serving ')) return baseUrl;
    const state = docker(['inspect', '--format', '{{.State.Running}}', name]).stdout.trim();
    if (state !== 'true')
      throw new Error(`${app.id} stopped before serving:\n${logs.stdout}\n${logs.stderr.slice(-4000)}`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(`${app.id} did not start serving within 120 s:\n${docker(['logs', name]).stderr.slice(-4000)}`);
}

describe('the corpus sources image', () => {
  it('builds (or exists) and holds every app', () => {
    const image = ensureSourcesImage();
    const size = Number(docker(['image', 'inspect', '--format', '{{.Size}}', image.tag]).stdout.trim());
    console.log(
      `[corpus] ${image.tag}: ${image.built ? `built in ${image.buildSeconds} s` : 'existed'} (${image.seconds.toFixed(1)} s with the lock wait), ${(size / 1e6).toFixed(0)} MB`,
    );
    const listing = docker(['run', '--rm', image.tag, 'ls', '/corpus']);
    expect(listing.stdout.split('\n').filter(Boolean).sort()).toEqual(CORPUS_APPS.map(app => app.id).sort());
  });
});

describe.each(CORPUS_APPS.map(app => [app.id, app] as const))('%s', (_id, app) => {
  let dir: string;
  const name = `wsgi-apache-corpus-smoke-${app.id}-${process.pid}`;

  beforeAll(() => {
    dir = materialize(app.id);
  });

  afterAll(() => {
    docker(['rm', '--force', name]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`detection ${app.entryDetected ? 'finds' : 'does not find'} ${app.entry}`, () => {
    const facts = detectProject(dir);
    if (app.entryDetected) {
      expect(facts.entryCandidates[0]).toBe(app.entry);
      expect(facts.framework).toBe(app.framework);
    } else {
      expect(facts.entryCandidates[0]).not.toBe(app.entry);
    }
  });

  it('serves its requests with only its apt packages', async () => {
    const baseUrl = await serve(app, dir, name);
    try {
      const outcomes = await runScenario(baseUrl, app);
      for (const outcome of outcomes)
        console.log(`[corpus] ${app.id}: ${outcome.request.method} ${outcome.request.path} -> ${outcome.status}`);
      expect(outcomes).toHaveLength(app.requests.length);
    } catch (error) {
      console.log(docker(['logs', name]).stderr.slice(-6000));
      throw error;
    }
  });
});
