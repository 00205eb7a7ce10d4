import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkDaemonSize,
  dataVolumeName,
  parseAptPackages,
  parseDataDirs,
  parseProjectName,
  parseStaticMappings,
  suggestProjectName,
} from '../../generators/app/validators.js';
import { InputError } from '../../generators/lib/input-error.js';
import { parseInteger, toList } from '../../generators/lib/parse.js';
import { MAX_DAEMON_THREADS } from '../../generators/lib/tunables.js';
import { emptyFiles, projectWith } from '../helpers/project.js';
import { expectValidSuggestion } from '../helpers/project-names.js';

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
    expect(parseProjectName('shop-api-2')).toBe('shop-api-2');
  });
  it.each([
    ['my app', 'my-app'],
    ['-app', 'app'],
    ['app.', 'app'],
    ['my.app', 'my-app'],
    ['app_-x', 'app-x'],
    ['my_app', 'my-app'],
    ['2024site', 'site-2024'],
    ['2024', 'app-2024'],
    ['', 'app'],
    ['a'.repeat(64), 'a'.repeat(63)],
  ])('rejects %j, valid for Docker but not Kubernetes or not at all, suggesting %j', (raw, suggestion) => {
    const message = `--name: "${raw}" is not a valid Docker image, Compose project and Kubernetes name. Fix: use lowercase letters, digits and "-" (a DNS-1035 label: a letter first, a letter or digit last, at most 63 characters), e.g. --name ${suggestion}.`;
    expect(() => parseProjectName(raw)).toThrow(message);
  });
  it('suggests a valid name from any directory name', () => {
    expect(suggestProjectName('My Project (v2)')).toBe('my-project-v2');
    expect(parseProjectName(suggestProjectName('__weird..Name__'))).toBe('weird-name');
    expect(suggestProjectName('2024-01-report')).toBe('report-2024-01');
    expect(suggestProjectName('日本')).toBe('app');
    // Compose would read a service named x-... as an extension field and ignore it.
    expect(suggestProjectName('x-files')).toBe('app-x-files');
    expect(() => parseProjectName('x-files')).toThrow(
      /^--name: "x-files" starts with "x-", which Compose reserves for extension fields.*Fix: pick a name that does not, e\.g\. --name app-x-files\.$/,
    );
  });
  it('every suggestion is a DNS-1035 label that parseProjectName keeps as it is', () => {
    fc.assert(fc.property(fc.string({ maxLength: 100, unit: 'binary' }), expectValidSuggestion), { numRuns: 2000 });
  });
});

describe('checkDaemonSize', () => {
  it('accepts processes x threads up to 5000, the largest whose derived Apache workers envvars accepts', () => {
    expect(MAX_DAEMON_THREADS).toBe(5000);
    expect(() => checkDaemonSize(20, 250)).not.toThrow();
    expect(() => checkDaemonSize(64, 78)).not.toThrow();
  });
  it('refuses a larger daemon, naming --threads and the bound', () => {
    expect(() => checkDaemonSize(64, 256)).toThrow(
      '--threads: 64 processes x 256 threads need 65536 Apache workers (4 per daemon thread), more than the 20000 the image accepts. Fix: lower --processes or --threads so that processes x threads is at most 5000 (e.g. --threads 78).',
    );
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
    expect(() => parseAptPackages('curl;rm -rf /')).toThrow(
      /--apt-packages: "curl;rm -rf \/" is not a Debian package name/,
    );
  });
});

describe('parseStaticMappings', () => {
  const root = projectWith(emptyFiles('static/site.css', 'media/.keep'));
  it('maps URL prefixes to project directories, without trailing slashes', () => {
    expect(parseStaticMappings(['/static/=static', '/media=./media'], root)).toEqual([
      { url: '/static', dir: 'static' },
      { url: '/media', dir: 'media' },
    ]);
  });
  it('rejects a missing directory, naming it', () => {
    expect(() => parseStaticMappings('/assets=assets', root)).toThrow(
      /--static: directory "assets" for \/assets does not exist/,
    );
  });
  it.each([['static'], ['/=static'], ['/st atic=static'], ['/static']])('rejects the malformed mapping %j', raw => {
    expect(() => parseStaticMappings(raw, root)).toThrow(/--static: .* is not a URL=directory mapping/);
  });
  it('rejects a directory outside the project', () => {
    expect(() => parseStaticMappings('/etc=../..', root)).toThrow(/outside the project directory/);
  });
  it("takes an absolute directory the image provides (a package's files), left to the build to check", () => {
    expect(parseStaticMappings(['/assets=/usr/share/radicale/web/', '/x=/opt/app/static'], root)).toEqual([
      { url: '/assets', dir: '/usr/share/radicale/web', system: true },
      { url: '/x', dir: '/opt/app/static', system: true },
    ]);
  });
  it.each([
    ['/x=/etc/apache2'],
    ['/x=/'],
    ['/x=/srv/app/static'],
    ['/x=/usr/share/'],
    ['/x=/usr/share/a b'],
    ['/x=/proc/1'],
  ])('rejects the system directory in %j, naming where they may be', raw => {
    expect(() => parseStaticMappings(raw, root)).toThrow(
      /^--static: \/x=.* maps a directory outside the project that is not one packages serve files from\. Fix: .*\/usr\/share\//,
    );
  });
});

describe('parseStaticMappings: only public files', () => {
  const root = projectWith({
    ...emptyFiles('hello.py', 'static/site.css', 'static/.gitkeep', 'leaky/css/site.css', 'code/img/logo.png'),
    // Beside public files: what no static directory may hold.
    ...emptyFiles('code/tools.py', 'git/.git/config', 'cache/__pycache__/x.cpython-313.pyc'),
    'leaky/css/.env': 'SECRET_KEY=x\n',
  });
  it('accepts a directory of public files, placeholders such as .gitkeep included', () => {
    expect(parseStaticMappings('/static=static', root)).toEqual([{ url: '/static', dir: 'static' }]);
  });
  it('refuses the project root', () => {
    expect(() => parseStaticMappings('/files=.', root)).toThrow(
      '--static: /files=. would serve the whole project (source, settings, database) to anyone. Fix: map /files to a directory holding only public files, e.g. --static /files=static.',
    );
  });
  it.each([
    ['/l=leaky', 'leaky/css/.env', 'a dotfile'],
    ['/c=code', 'code/tools.py', 'Python code'],
    ['/g=git', 'git/.git', 'a dotfile'],
    ['/p=cache', 'cache/__pycache__/x.cpython-313.pyc', 'Python code'],
  ])('refuses %s, which holds %s', (item, exposed, what) => {
    const [url, dir] = item.split('=');
    expect(() => parseStaticMappings(item, root)).toThrow(
      `--static: ${item} would serve ${exposed} to anyone (${what} inside "${dir}"). Fix: map ${url} to a directory holding only public files, or move ${exposed} out of it.`,
    );
  });
});

describe('parseDataDirs: directories the image does not need, one volume each', () => {
  const root = projectWith(emptyFiles('hello.py', 'docker/apache2.conf', 'uploads/a.png'));
  it('accepts new and existing directories, dropping repeats', () => {
    expect(parseDataDirs(['uploads', 'media/files', './uploads'], root)).toEqual(['uploads', 'media/files']);
  });
  it.each([
    [
      'docker',
      '"docker" is taken: docker/ holds the generated Apache config and scripts, which the image is built from. Fix: pick a directory of its own, e.g. --data-dir data.',
    ],
    ['docker/x', '"docker/x" is taken: docker/ holds the generated Apache config and scripts'],
    ['wheelhouse', '"wheelhouse" is taken: wheelhouse/ is where pip finds your wheels while the image builds'],
    ['.git', '".git" is a path .dockerignore keeps out of the image'],
    ['venv', '"venv" is a path .dockerignore keeps out of the image'],
    ['.env', '".env" is a path .dockerignore keeps out of the image'],
    ['node_modules/cache', '"node_modules/cache" is a path .dockerignore keeps out of the image'],
    ['compose.yaml', '"compose.yaml" is a path .dockerignore keeps out of the image'],
    [
      'hello.py',
      '"hello.py" is a file, not a directory. Fix: name a directory (it is created when missing), e.g. --data-dir data.',
    ],
    ['hello.py/x', '"hello.py/x" lies below the file "hello.py"'],
    ['_', '"_" has no letter or digit to name its volume after'],
    [
      'a'.repeat(59),
      `"${'a'.repeat(59)}" would be the volume data-${'a'.repeat(59)}, longer than the 63 characters Kubernetes allows`,
    ],
  ])('refuses %j', (dir, message) => {
    expect(() => parseDataDirs(dir, root)).toThrow(`--data-dir: ${message}`);
  });
  it('refuses two directories that would be one volume', () => {
    expect(() => parseDataDirs(['uploads', 'Uploads'], root)).toThrow(
      '--data-dir: "uploads" and "Uploads" would both be the volume data-uploads (names differing only in case or punctuation). Fix: give each data directory once, under names that differ in letters or digits.',
    );
    expect(() => parseDataDirs(['media/files', 'media-files'], root)).toThrow(
      /would both be the volume data-media-files/,
    );
    expect(dataVolumeName('Media/Big_Files')).toBe('data-media-big-files');
  });
});
