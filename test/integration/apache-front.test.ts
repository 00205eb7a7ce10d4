/**
 * One Apache in front of more than the WSGI app: the user's own directives in
 * docker/apache/*.conf (a rewrite rule, a redirect, a header) and another Compose service
 * behind --proxy, served from the generated image; a mistake in the user's file fails the
 * build with Apache's own message.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StartedDockerComposeEnvironment } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeBuild, removeStack, serveStack, type ServedStack } from '../helpers/compose.js';
import { removeImages } from '../helpers/docker-run.js';
import { FIXTURE_APPS } from '../helpers/fixture-apps.js';
import { runGenerator, scaffoldFixture } from '../helpers/project.js';

const NAME = 'wsgi-apache-it-front';
const LOCAL_CONF = [
  'RewriteEngine On',
  'RewriteRule ^/hello-again$ / [PT]',
  'Redirect permanent /old https://example.com/new',
  'Header always set X-Local-Conf yes',
  '',
].join('\n');

/** The other service: echoes the path and headers it got as JSON; /go-home redirects with its own absolute URL. */
const UPSTREAM = `
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Echo(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/go-home":
            self.send_response(302)
            self.send_header("Location", "http://other:8000/home")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps({"path": self.path, "headers": dict(self.headers)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

ThreadingHTTPServer(("0.0.0.0", 8000), Echo).serve_forever()
`;

/** A second Compose service from the same image (it has Python), as a user adds one beside the app. */
const OTHER_SERVICE = `services:
  other:
    image: ${NAME}:latest
    command: ["python3", "/srv/app/upstream.py"]
    healthcheck:
      disable: true
`;

/** Builds `dir` and starts it with the other service beside it (serveStack builds); healthy when it returns. */
async function startWithOther(dir: string): Promise<ServedStack> {
  writeFileSync(join(dir, 'upstream.py'), UPSTREAM);
  writeFileSync(join(dir, 'compose.other.yaml'), OTHER_SERVICE);
  return serveStack(dir, ['compose.yaml', 'compose.other.yaml'], `${NAME}-1`);
}

describe('user directives and a proxied service behind the generated Apache', () => {
  let dir: string;
  let stack: StartedDockerComposeEnvironment | undefined;
  let url: string;

  beforeAll(async () => {
    dir = await scaffoldFixture(FIXTURE_APPS.plain.fixture, NAME, {
      ...FIXTURE_APPS.plain.flags,
      'apache-modules': 'rewrite,headers',
      proxy: ['/svc=http://other:8000'],
    });
    writeFileSync(join(dir, 'docker/apache/local.conf'), LOCAL_CONF);
    ({ stack, url } = await startWithOther(dir));
  });
  afterAll(() => removeStack(stack));

  it('runs the rewrite rule (through to the app), the redirect and the header of docker/apache/local.conf', async () => {
    const rewritten = await fetch(`${url}/hello-again`);
    expect(rewritten.status).toBe(200);
    expect(await rewritten.text()).toBe('Hello from plain WSGI\n');
    expect(rewritten.headers.get('x-local-conf')).toBe('yes');
    const moved = await fetch(`${url}/old`, { redirect: 'manual' });
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe('https://example.com/new');
  });

  it('answers /svc/... from the other service, with the client Host and X-Forwarded-* headers', async () => {
    const response = await fetch(`${url}/svc/items?page=2`);
    expect(response.status).toBe(200);
    const echoed = (await response.json()) as { path: string; headers: Record<string, string> };
    expect(echoed.path).toBe('/items?page=2');
    expect(echoed.headers.Host).toBe(new URL(url).host);
    expect(echoed.headers['X-Forwarded-Host']).toBe(new URL(url).host);
    expect(echoed.headers['X-Forwarded-Proto']).toBe('http');
    expect(echoed.headers['X-Forwarded-For']).toMatch(/^[0-9a-f.:]+$/);
  });

  it("maps the other service's redirects back under /svc, and leaves /svcx to the app", async () => {
    const redirect = await fetch(`${url}/svc/go-home`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(`${url}/svc/home`);
    const app = await fetch(`${url}/svcx`);
    expect(await app.text()).toBe('Hello from plain WSGI\n');
  });

  it('keeps docker/apache/local.conf byte for byte through a forced re-generation', async () => {
    await runGenerator(dir, { yes: true, force: true });
    expect(readFileSync(join(dir, 'docker/apache/local.conf'), 'utf8')).toBe(LOCAL_CONF);
  });

  it("fails the build with Apache's message when a user file has a mistake", () => {
    writeFileSync(join(dir, 'docker/apache/broken.conf'), 'RewriteRule ^/a$ /b [PT]\nRewriteRulez ^/c$ /d\n');
    try {
      expect(() => composeBuild(dir)).toThrow(
        /AH00526: Syntax error on line 2 of \/srv\/app\/docker\/apache\/broken\.conf:[\s\S]*Invalid command 'RewriteRulez'[\s\S]*wsgi-apache: Apache does not know RewriteRulez and no module in \/usr\/lib\/apache2\/modules defines it\. Fix: correct the directive/,
      );
    } finally {
      rmSync(join(dir, 'docker/apache/broken.conf'));
    }
  });

  it('names the module to load when a user file uses a directive of one that is not loaded', () => {
    writeFileSync(join(dir, 'docker/apache/private.conf'), '<Location /private>\n    AuthType Basic\n</Location>\n');
    try {
      expect(() => composeBuild(dir)).toThrow(
        /Invalid command 'AuthType'[\s\S]*wsgi-apache: Apache does not know AuthType: mod_authn_core defines it, and it is not loaded\. Fix: add it with yo wsgi-apache --apache-modules authn_core/,
      );
    } finally {
      rmSync(join(dir, 'docker/apache/private.conf'));
    }
  });
});

describe('a front end at / and the app at --mount-point /app', () => {
  let stack: StartedDockerComposeEnvironment | undefined;
  let url: string;

  beforeAll(async () => {
    const dir = await scaffoldFixture(FIXTURE_APPS.plain.fixture, NAME, {
      ...FIXTURE_APPS.plain.flags,
      'mount-point': '/app',
      proxy: ['/=http://other:8000'],
    });
    // Healthy only if the image's HEALTHCHECK asks the app at /app/ (the default health path under it).
    ({ stack, url } = await startWithOther(dir));
  });
  afterAll(async () => {
    await removeStack(stack);
    await removeImages(`${NAME}:latest`);
  });

  it('sends / and everything outside the app to the front end', async () => {
    for (const path of ['/', '/about?x=1', '/application']) {
      const echoed = (await (await fetch(url + path)).json()) as { path: string };
      expect(echoed.path).toBe(path);
    }
  });

  it('answers /app from the WSGI app with SCRIPT_NAME /app, and /static from disk', async () => {
    const app = await fetch(`${url}/app/`);
    expect(await app.text()).toBe('Hello from plain WSGI\n');
    const whoami = (await (await fetch(`${url}/app/whoami`)).json()) as { uid: number };
    expect(whoami.uid).toBe(10001);
    const css = await fetch(`${url}/static/site.css`);
    expect(css.headers.get('content-type')).toBe('text/css');
  });
});
