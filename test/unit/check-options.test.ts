import { describe, expect, it } from 'vitest';
import { CHECK_FIELDS, resolveCheckSettings } from '../../generators/check/options.js';

describe('yo wsgi-apache:check options', () => {
  it('defaults: the project health path, 10 s at 64 connections, 2 s warm-up, no error allowed, production', () => {
    expect(resolveCheckSettings({}, { healthPath: '/admin/login/' })).toEqual({
      paths: ['/admin/login/'],
      pathsGiven: false,
      targets: [{ url: '/', group: 'app', paths: ['/admin/login/'], pathsGiven: false }],
      durationSeconds: 10,
      connections: 64,
      rate: undefined,
      warmupSeconds: 2,
      maxErrorRatePercent: 0,
      maxP99Ms: undefined,
      port: undefined,
      shape: 'production',
      json: false,
      skipBuild: false,
    });
    expect(resolveCheckSettings({}, {}).paths).toEqual(['/']);
  });

  it('loads every mounted app at its prefix by default, and gives each --path to the app whose prefix holds it', () => {
    const stored = { healthPath: '/health', mounts: ['/api=api/service:app', '/api/v2=v2/app.wsgi', '/docs=docs:app'] };
    const byDefault = resolveCheckSettings({}, stored).targets;
    expect(byDefault.map(t => [t.url, t.group, t.paths.join(' ')])).toEqual([
      ['/', 'app', '/health'],
      ['/api/v2', 'api-v2', '/api/v2/'],
      ['/docs', 'docs', '/docs/'],
      ['/api', 'api', '/api/'],
    ]);
    const given = resolveCheckSettings({ path: ['/api/v2/x', '/api/items', '/apix', '/api'] }, stored).targets;
    expect(given.map(t => [t.url, t.paths.join(' '), t.pathsGiven])).toEqual([
      ['/', '/apix', true],
      ['/api/v2', '/api/v2/x', true],
      ['/api', '/api/items /api', true],
    ]);
  });

  it("loads the project's app at its mount point", () => {
    const targets = resolveCheckSettings({}, { healthPath: '/app/', mountPoint: '/app', mounts: ['/api=x:y'] }).targets;
    expect(targets.map(t => [t.url, t.group, t.paths.join(' ')])).toEqual([
      ['/app', 'app', '/app/'],
      ['/api', 'api', '/api/'],
    ]);
  });

  it('parses every flag', () => {
    const settings = resolveCheckSettings(
      {
        path: ['/a', '/b'],
        duration: '3',
        connections: '8',
        rate: '100',
        warmup: '0',
        'max-error-rate': '0.5',
        'max-p99': '250',
        port: '9000',
        dev: true,
        json: true,
      },
      { healthPath: '/h' },
    );
    expect(settings).toMatchObject({
      paths: ['/a', '/b'],
      pathsGiven: true,
      durationSeconds: 3,
      connections: 8,
      rate: 100,
      warmupSeconds: 0,
    });
    expect(settings).toMatchObject({
      maxErrorRatePercent: 0.5,
      maxP99Ms: 250,
      port: 9000,
      shape: 'development',
      json: true,
    });
  });

  it.each([
    [{ path: 'health' }, /^--path: "health" is not a URL path/],
    [{ duration: '0' }, /^--duration: 0 is out of range\. Fix: pass a whole number from 1 to 600/],
    [{ connections: 'many' }, /^--connections: "many" is not a whole number/],
    [{ 'max-error-rate': '101' }, /^--max-error-rate: "101" is not a percentage/],
    [{ port: '70000' }, /^--port: 70000 is out of range/],
  ])('refuses %j naming the flag', (options, message) => {
    expect(() => resolveCheckSettings(options, {})).toThrow(message);
  });

  it('states each default in its --help description', () => {
    for (const field of CHECK_FIELDS.filter(f => f.kind === 'value' || f.kind === 'list'))
      expect(field.description).toMatch(/default/);
  });
});
