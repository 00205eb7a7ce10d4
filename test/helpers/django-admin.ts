import { expect } from 'vitest';
import { composeAsync } from './compose.js';

/**
 * Logs in to Django's admin as a browser does: GET the login form for its CSRF token and cookie,
 * then POST the form with them. Asserts the login worked: a 302 to `/admin/`.
 * @param baseUrl - where the stack answers, e.g. `http://127.0.0.1:8000`
 */
export async function logInToAdmin(baseUrl: string, username: string, password: string): Promise<void> {
  const form = await fetch(`${baseUrl}/admin/login/`);
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await form.text())?.[1];
  const cookie = form.headers
    .getSetCookie()
    .map(c => c.split(';')[0])
    .join('; ');
  expect(token, "the admin's login form has a CSRF token").toBeTruthy();
  const login = await fetch(`${baseUrl}/admin/login/?next=/admin/`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Cookie: cookie,
      Referer: `${baseUrl}/admin/login/`,
    },
    body: new URLSearchParams({ csrfmiddlewaretoken: token!, username, password, next: '/admin/' }).toString(),
  });
  expect(login.status).toBe(302);
  expect(login.headers.get('location')).toBe('/admin/');
}

/**
 * Makes a Django superuser with `docker compose run --rm SERVICE python manage.py createsuperuser
 * --noinput` on a running Compose project (so on its volumes and services), then logs in to the
 * admin as that user ({@link logInToAdmin}).
 * @param project - the Compose project name the stack runs under (Testcontainers picks its own)
 * @param files - the Compose files the stack was started with, as `-f` takes them
 * @param manage - the command Django's management commands run with (`python -m django` without manage.py)
 */
export async function createSuperuserAndLogIn(
  stack: { dir: string; project: string; files: readonly string[]; service: string; baseUrl: string },
  username: string,
  password: string,
  manage: readonly string[] = ['python', 'manage.py'],
): Promise<void> {
  await composeAsync(stack.dir, [
    '-p',
    stack.project,
    ...stack.files.flatMap(file => ['-f', file]),
    'run',
    '--rm',
    '-e',
    `DJANGO_SUPERUSER_PASSWORD=${password}`,
    stack.service,
    ...manage,
    'createsuperuser',
    '--noinput',
    '--username',
    username,
    '--email',
    'admin@example.com',
  ]);
  await logInToAdmin(stack.baseUrl, username, password);
}
