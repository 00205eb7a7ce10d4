import { expect } from 'vitest';

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
