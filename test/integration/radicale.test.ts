/**
 * Radicale (the CalDAV/CardDAV server Debian packages as `radicale`), its upstream tree from
 * `apt-get source radicale` (test/corpus), scaffolded with defaults plus what Radicale's own
 * documentation ("WSGI Server") has a user give: a config file named by RADICALE_CONFIG. The file
 * is ours, in Radicale's config syntax: htpasswd users (one, in the project's `users`), collections
 * in the project's `collections/`, owner-only rights. Flags: `--setenv RADICALE_CONFIG=...` alone:
 * `collections/` is the data directory by default, as the config file RADICALE_CONFIG names says
 * (issue 27, finding 8; `--data-dir collections` before).
 *
 * A real CalDAV client, python3-caldav from trixie in a container of its own on the host network
 * (127.0.0.1 only), logs in, creates a calendar, PUTs an event and reads it back, in both shapes,
 * with the project owned by a developer whose uid is not 1000.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_APPS, corpusLibraries, corpusPipEnv, ensureSourcesImage, materialize } from '../corpus/sources.js';
import { chownTree } from '../helpers/commands.js';
import { composeBuild, type Shape, stackPerShape } from '../helpers/compose.js';
import { underDockerLock } from '../helpers/docker-lock.js';
import { scaffoldOnBase } from '../helpers/project.js';
import { APP_DIR } from '../../generators/lib/image-layout.js';
import { DEV_UID } from './fixtures.js';

const NAME = 'wsgi-apache-it-radicale';
const RADICALE = CORPUS_APPS.find(app => app.id === 'radicale')!;
const USER = 'alice';
const PASSWORD = 'caldav-pass-1';

const CONFIG = `# Radicale under mod_wsgi: read through RADICALE_CONFIG (Radicale's DOCUMENTATION.md, "WSGI Server").
[auth]
type = htpasswd
htpasswd_filename = ${APP_DIR}/users
htpasswd_encryption = plain

[rights]
type = owner_only

[storage]
filesystem_folder = ${APP_DIR}/collections
`;

/** The CalDAV client: python3-caldav of trixie, built once per machine. */
const CLIENT_IMAGE = 'wsgi-apache-caldav-client:trixie';
const CLIENT_DOCKERFILE = `FROM debian:trixie-slim
RUN apt-get -o Acquire::Retries=3 update && apt-get -o Acquire::Retries=3 install -y --no-install-recommends python3-caldav && rm -rf /var/lib/apt/lists/*
`;

/** Creates a calendar, PUTs an event into it and prints the summaries read back. */
const CLIENT_SCRIPT = `
import sys
import caldav

url, user, password, calendar_name = sys.argv[1:5]
client = caldav.DAVClient(url=url, username=user, password=password)
calendar = client.principal().make_calendar(name=calendar_name)
calendar.save_event("""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//generator-wsgi-apache//radicale test//EN
BEGIN:VEVENT
UID:radicale-test-1@example.com
DTSTAMP:20261204T120000Z
DTSTART:20261205T100000Z
DTEND:20261205T110000Z
SUMMARY:Served by mod_wsgi
END:VEVENT
END:VCALENDAR
""")
for event in client.principal().calendar(name=calendar_name).events():
    print(event.vobject_instance.vevent.summary.value)
`;

function caldav(baseUrl: string, calendar: string): string {
  if (execFileSync('docker', ['images', '-q', CLIENT_IMAGE], { encoding: 'utf8' }).trim() === '') {
    const [command, ...args] = underDockerLock(['docker', 'build', '-q', '-t', CLIENT_IMAGE, '-']);
    execFileSync(command!, args, { input: CLIENT_DOCKERFILE, stdio: ['pipe', 'ignore', 'inherit'] });
  }
  return execFileSync(
    'docker',
    [
      'run',
      '--rm',
      '--network',
      'host',
      CLIENT_IMAGE,
      'python3',
      '-c',
      CLIENT_SCRIPT,
      `${baseUrl}/`,
      USER,
      PASSWORD,
      calendar,
    ],
    { encoding: 'utf8' },
  );
}

let dir: string;

beforeAll(async () => {
  ensureSourcesImage();
  const source = materialize('radicale');
  dir = join(mkdtempSync(join(tmpdir(), 'wsgi-apache-radicale-')), NAME);
  renameSync(source, dir);
  writeFileSync(join(dir, 'radicale.conf'), CONFIG);
  writeFileSync(join(dir, 'users'), `${USER}:${PASSWORD}\n`);
  await scaffoldOnBase(dir, { setenv: [`RADICALE_CONFIG=${APP_DIR}/radicale.conf`] }, corpusLibraries(RADICALE));
  chownTree(dir, { uid: DEV_UID, gid: DEV_UID });
  composeBuild(dir, corpusPipEnv(RADICALE));
}, 900_000);

afterAll(() => {
  if (dir) rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe.each(['production', 'development'] as Shape[])('%s shape', shape => {
  const served = stackPerShape(() => dir, NAME, shape, { env: () => corpusPipEnv(RADICALE) });

  it('a CalDAV client creates a calendar, PUTs an event and reads it back', () => {
    expect(caldav(served.baseUrl, `calendar-${shape}`).trim()).toBe('Served by mod_wsgi');
  });

  if (shape === 'development') {
    it(`keeps the collections in the project's collections/, the developer's (uid ${DEV_UID})`, () => {
      const owner = statSync(join(dir, 'collections', 'collection-root', USER));
      expect({ uid: owner.uid, gid: owner.gid }).toEqual({ uid: DEV_UID, gid: DEV_UID });
    });
  }
});
