import { describe, expect, it } from 'vitest';
import {
  parseAptPackages,
  parseBase,
  parseInteger,
  parseProjectName,
  parseStaticMappings,
  suggestProjectName,
  toList,
} from '../../generators/app/validators.js';
import { InputError } from '../../generators/lib/input-error.js';
import { makeProject } from '../helpers/project.js';

describe('parseInteger', () => {
  it('accepts whole numbers in range, from strings and numbers', () => {
    expect(parseInteger('--port', '8000', 1, 65535)).toBe(8000);
    expect(parseInteger('--port', 1, 1, 65535)).toBe(1);
  });
  it.each([['abc'], ['1.5'], ['-3'], [''], ['8 000']])('rejects %j naming the flag and the range', raw => {
    expect(() => parseInteger('--threads', raw, 1, 256)).toThrow(/--threads: .* is not a whole number.*from 1 to 256/);
  });
  it('rejects values out of range', () => {
    expect(() => parseInteger('--port', '70000', 1, 65535)).toThrow(/--port: 70000 is out of range/);
    expect(() => parseInteger('--processes', '0', 1, 64)).toThrow(InputError);
  });
});

describe('parseProjectName', () => {
  it('lowercases before validating', () => {
    expect(parseProjectName('MyApp')).toBe('myapp');
    expect(parseProjectName('shop_api-2')).toBe('shop_api-2');
  });
  it.each([['my app'], ['-app'], ['app.'], ['my.app'], ['app_-x'], [''], ['a'.repeat(64)]])(
    'rejects %j with a suggestion',
    raw => {
      expect(() => parseProjectName(raw)).toThrow(/--name: .* is not a valid Docker image and Compose project name.*e\.g\. --name /);
    },
  );
  it('suggests a valid name from any directory name', () => {
    expect(suggestProjectName('My Project (v2)')).toBe('my-project-v2');
    expect(parseProjectName(suggestProjectName('__weird..Name__'))).toBe('weird-name');
  });
});

describe('lists, packages, base', () => {
  it('flattens repeated and comma-separated flags', () => {
    expect(toList(['a,b', ' c '])).toEqual(['a', 'b', 'c']);
    expect(toList(undefined)).toEqual([]);
  });
  it('accepts Debian package names, optionally pinned, without duplicates', () => {
    expect(parseAptPackages('python3-flask,libpq5,python3-flask,gcc=4:14.2.0-1')).toEqual([
      'python3-flask',
      'libpq5',
      'gcc=4:14.2.0-1',
    ]);
  });
  it('rejects a package name with shell characters', () => {
    expect(() => parseAptPackages('curl;rm -rf /')).toThrow(/--apt-packages: "curl;rm -rf \/" is not a Debian package name/);
  });
  it('knows trixie and bookworm only', () => {
    expect(parseBase('Bookworm')).toBe('bookworm');
    expect(() => parseBase('buster')).toThrow(/--base: "buster" is not a supported Debian release.*trixie, bookworm/);
  });
});

describe('parseStaticMappings', () => {
  const root = makeProject({ files: { 'static/site.css': '', 'media/.keep': '' } });
  it('maps URL prefixes to project directories, without trailing slashes', () => {
    expect(parseStaticMappings(['/static/=static', '/media=./media'], root)).toEqual([
      { url: '/static', dir: 'static' },
      { url: '/media', dir: 'media' },
    ]);
  });
  it('rejects a missing directory, naming it', () => {
    expect(() => parseStaticMappings('/assets=assets', root)).toThrow(/--static: directory "assets" for \/assets does not exist/);
  });
  it.each([['static'], ['/=static'], ['/st atic=static'], ['/static']])('rejects the malformed mapping %j', raw => {
    expect(() => parseStaticMappings(raw, root)).toThrow(/--static: .* is not a URL=directory mapping/);
  });
  it('rejects a directory outside the project', () => {
    expect(() => parseStaticMappings('/etc=../..', root)).toThrow(/outside the project directory/);
  });
});
