/** Sends a corpus app's requests to a running server and checks each response against its expectation. */
import type { CorpusApp, CorpusRequest } from './sources.js';

/** One request as it went: what was sent and what came back. */
export interface RequestOutcome {
  request: CorpusRequest;
  status: number;
  headers: Headers;
  body: string;
}

/**
 * What is wrong with a response, by the request's expectation.
 * @returns one line per mismatch; [] when the response is as expected
 */
export function responseProblems(request: CorpusRequest, status: number, headers: Headers, body: string): string[] {
  const problems: string[] = [];
  const { expect } = request;
  if (status !== expect.status) problems.push(`status ${status}, expected ${expect.status}`);
  if (expect.bodyIncludes !== undefined && !body.includes(expect.bodyIncludes)) {
    problems.push(`body lacks ${JSON.stringify(expect.bodyIncludes)}`);
  }
  for (const [name, part] of Object.entries(expect.headerIncludes ?? {})) {
    const value = headers.get(name);
    if (value === null || !value.includes(part))
      problems.push(`header ${name}: ${JSON.stringify(value)} lacks ${JSON.stringify(part)}`);
  }
  return problems;
}

/**
 * Sends `app.requests` in order to `baseUrl` (e.g. `http://127.0.0.1:8000`), never following
 * redirects, keeping cookies across them when `app.cookieJar` (name=value only: the apps
 * here set path-/ session cookies on one host).
 * @returns every outcome, in order, when all are as expected
 * @throws Error at the first unexpected response, naming the request, the mismatches, the
 *   response headers and the start of the body
 */
export async function runScenario(baseUrl: string, app: CorpusApp, timeoutMs = 30_000): Promise<RequestOutcome[]> {
  const jar = new Map<string, string>();
  const outcomes: RequestOutcome[] = [];
  for (const request of app.requests) {
    const headers = new Headers(request.headers);
    if (app.cookieJar && jar.size > 0)
      headers.set('Cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(new URL(request.path, baseUrl), {
      method: request.method,
      headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    if (app.cookieJar) {
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const eq = pair.indexOf('=');
        if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
    }
    const problems = responseProblems(request, response.status, response.headers, body);
    if (problems.length > 0) {
      const shownHeaders = [...response.headers].map(([name, value]) => `  ${name}: ${value}`).join('\n');
      throw new Error(
        `${app.id}: ${request.method} ${request.path} (${request.name}): ${problems.join('; ')}\n` +
          `response headers:\n${shownHeaders}\nbody: ${body.slice(0, 800)}`,
      );
    }
    outcomes.push({ request, status: response.status, headers: response.headers, body });
  }
  return outcomes;
}
