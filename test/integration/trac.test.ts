/**
 * Trac (Debian's `trac`), deployed as its own mod_wsgi page (TracModWSGI, "The trac.wsgi script")
 * says, with the Trac environment's path given the way that page offers: the TRAC_ENV environment
 * variable, which `trac.web.main.dispatch_request` reads when the WSGI environ has no
 * `trac.env_path`. The project is the page's script without its `os.environ[...]` lines (the two
 * lines below are Trac's), owned by a developer whose uid is not 1000.
 *
 * Flags, as a Trac user would give them: Trac itself (`--apt-packages trac` on a Debian base, `trac` in
 * requirements.txt on the python base), `--setenv TRAC_ENV=/srv/app/tracenv`, and an
 * `--init-command` that creates the environment once with
 * `trac-admin initenv` and lets anonymous users create tickets (Trac's default keeps
 * TICKET_CREATE for logged-in users). `tracenv/` is the data directory by default: the path
 * TRAC_ENV names inside the project (issue 27, finding 8; `--data-dir tracenv` before).
 *
 * In both shapes, a ticket is created through Trac's own web form (its form token and all) and read
 * back, and `yo wsgi-apache:check` passes on the report of active tickets.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkJson } from '../helpers/check-process.js';
import { chownTree } from '../helpers/commands.js';
import { composeBuild, type Shape, stackPerShape } from '../helpers/compose.js';
import { scaffoldOnBase } from '../helpers/project.js';
import { LIBRARIES, TEST_BASE } from '../helpers/test-base.js';
import { DEFAULT_BASE } from '../../generators/app/bases.js';
import { APP_DIR } from '../../generators/lib/image-layout.js';
import { DEV_UID } from './fixtures.js';

const NAME = 'wsgi-apache-it-trac';

const TRAC_WSGI = `import trac.web.main
application = trac.web.main.dispatch_request
`;

const FLAGS = {
  setenv: [`TRAC_ENV=${APP_DIR}/tracenv`],
  'init-command': [
    'test -f tracenv/VERSION || { trac-admin tracenv initenv Demo sqlite:db/trac.db && trac-admin tracenv permission add anonymous TICKET_CREATE; }',
  ],
};

/** The form fields and cookie of Trac's new-ticket page. */
async function newTicketForm(baseUrl: string): Promise<{ token: string; cookie: string }> {
  const page = await fetch(`${baseUrl}/newticket`);
  expect(page.status).toBe(200);
  const token = /name="__FORM_TOKEN" value="([^"]+)"/.exec(await page.text())?.[1];
  const cookie = page.headers
    .getSetCookie()
    .map(c => c.split(';')[0])
    .join('; ');
  expect(token, 'the new-ticket form has a form token').toBeTruthy();
  return { token: token!, cookie };
}

let dir: string;

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'wsgi-apache-trac-')), NAME);
  mkdirSync(dir);
  writeFileSync(join(dir, 'trac.wsgi'), TRAC_WSGI);
  await scaffoldOnBase(dir, FLAGS, [LIBRARIES.trac]);
  chownTree(dir, { uid: DEV_UID, gid: DEV_UID });
  composeBuild(dir);
}, 900_000);

afterAll(() => {
  if (dir) rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe.each(['production', 'development'] as Shape[])('%s shape', shape => {
  const served = stackPerShape(() => dir, NAME, shape);

  it("creates a ticket through Trac's web form and reads it back", async () => {
    const summary = `Served by mod_wsgi (${shape})`;
    const { token, cookie } = await newTicketForm(served.baseUrl);
    const created = await fetch(`${served.baseUrl}/newticket`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
      body: new URLSearchParams({
        __FORM_TOKEN: token,
        field_summary: summary,
        field_description: 'Created by test/integration/trac.test.ts',
        field_type: 'task',
        submit: 'Create ticket',
      }).toString(),
    });
    expect(
      created.status,
      await created
        .clone()
        .text()
        .then(text => text.slice(0, 500)),
    ).toBe(303);
    const location = created.headers.get('location')!;
    expect(location).toMatch(/\/ticket\/\d+$/);
    const ticket = await fetch(new URL(location, served.baseUrl));
    expect(ticket.status).toBe(200);
    expect(await ticket.text()).toContain(summary);
  });
});

// On the default base only (scope.ts, DEFAULT_BASE_ONLY_SERVICE_PARTS): not registered elsewhere rather than skipped.
if (TEST_BASE === DEFAULT_BASE) {
  it("yo wsgi-apache:check passes on Trac's report of active tickets (a query of its database)", async () => {
    const { report, error } = await checkJson(dir, { path: '/report/1', connections: '16', duration: '3' });
    expect(error, error?.message).toBeUndefined();
    expect(report!.passed).toBe(true);
    console.log(
      `[trac] check: ${report!.requests} requests (${report!.requestsPerSecond.toFixed(1)} req/s), p99 ${report!.latency.p99} ms`,
    );
  }, 600_000);
}
