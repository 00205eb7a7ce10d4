/**
 * `--service`: the backing services a project talks to (a database, a cache), each run by Compose
 * from its official image beside the app in both shapes, health-checked, with its data in a named
 * volume and its connection URL in the app's environment. Kubernetes leaves them external: the
 * URLs come from the app's Secret (DOCKER.md).
 */
import { join } from 'node:path';
import { readText } from '../lib/fs.js';
import { officialImage } from '../lib/image-layout.js';
import { InputError } from '../lib/input-error.js';
import { toList } from '../lib/parse.js';
import type { ProjectFacts } from './detect.js';

/** What `--service` takes. */
export const SERVICE_NAMES = ['postgres', 'mysql', 'redis', 'memcached'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The user and database the database services create for the app. */
export const SERVICE_DATABASE = 'app';

/** One backing service as compose.yaml runs it and the app reaches it. */
export interface BackingService {
  /** what `--service` takes */
  name: ServiceName;
  /** the Compose service, also its host name on the project's network */
  service: string;
  /** the official image; images/services/ builds a stand-in of the same tag offline */
  image: string;
  /** the port it listens on inside its container */
  port: number;
  /** where the image keeps its data: a named volume `<service>-data` goes there; '' for none */
  dataPath: string;
  /** the image's own variables, as its docs name them */
  environment: { name: string; value: string }[];
  /** the secret holding its password, shared with the app (a `--secret` of its own); '' for none */
  password: string;
  /** the health check, Compose's exec form (`$` doubled) */
  healthcheck: string[];
  /** the app's variable holding the connection URL */
  urlVariable: 'DATABASE_URL' | 'REDIS_URL' | 'CACHE_URL';
  /** the URL; `${PASSWORD}` in it is the password secret's variable, filled in by docker/entrypoint */
  url: string;
  /** where the image's variables, paths and health check are documented */
  docs: string;
}

/**
 * The four services. Sources: https://hub.docker.com/_/postgres (POSTGRES_USER, POSTGRES_DB,
 * POSTGRES_PASSWORD_FILE, PGDATA /var/lib/postgresql/data before 18), https://hub.docker.com/_/mariadb
 * (MARIADB_*, healthcheck.sh --connect --innodb_initialized), https://hub.docker.com/_/redis (/data)
 * and https://hub.docker.com/_/memcached (no client in the image: bash's /dev/tcp asks `version`).
 */
const SERVICES: Record<ServiceName, BackingService> = {
  postgres: {
    name: 'postgres',
    service: 'postgres',
    image: officialImage('postgres:17'),
    port: 5432,
    dataPath: '/var/lib/postgresql/data',
    environment: [
      { name: 'POSTGRES_USER', value: SERVICE_DATABASE },
      { name: 'POSTGRES_DB', value: SERVICE_DATABASE },
      { name: 'POSTGRES_PASSWORD_FILE', value: '/run/secrets/POSTGRES_PASSWORD' },
    ],
    password: 'POSTGRES_PASSWORD',
    healthcheck: ['CMD', 'pg_isready', '-U', SERVICE_DATABASE, '-d', SERVICE_DATABASE],
    urlVariable: 'DATABASE_URL',
    url: `postgres://${SERVICE_DATABASE}:\${POSTGRES_PASSWORD}@postgres:5432/${SERVICE_DATABASE}`,
    docs: 'https://hub.docker.com/_/postgres',
  },
  mysql: {
    name: 'mysql',
    service: 'mariadb',
    image: officialImage('mariadb:11'),
    port: 3306,
    dataPath: '/var/lib/mysql',
    environment: [
      { name: 'MARIADB_USER', value: SERVICE_DATABASE },
      { name: 'MARIADB_DATABASE', value: SERVICE_DATABASE },
      { name: 'MARIADB_PASSWORD_FILE', value: '/run/secrets/MARIADB_PASSWORD' },
      { name: 'MARIADB_RANDOM_ROOT_PASSWORD', value: '1' },
    ],
    password: 'MARIADB_PASSWORD',
    healthcheck: ['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'],
    urlVariable: 'DATABASE_URL',
    url: `mysql://${SERVICE_DATABASE}:\${MARIADB_PASSWORD}@mariadb:3306/${SERVICE_DATABASE}`,
    docs: 'https://hub.docker.com/_/mariadb',
  },
  redis: {
    name: 'redis',
    service: 'redis',
    image: officialImage('redis:7'),
    port: 6379,
    dataPath: '/data',
    environment: [],
    password: '',
    healthcheck: ['CMD', 'redis-cli', 'ping'],
    urlVariable: 'REDIS_URL',
    url: 'redis://redis:6379/0',
    docs: 'https://hub.docker.com/_/redis',
  },
  memcached: {
    name: 'memcached',
    service: 'memcached',
    image: officialImage('memcached:1'),
    port: 11211,
    dataPath: '',
    environment: [],
    password: '',
    healthcheck: [
      'CMD',
      'bash',
      '-c',
      'exec 3<>/dev/tcp/127.0.0.1/11211 && printf "version\\r\\n" >&3 && read -r -t 2 reply <&3 && [[ $$reply == VERSION* ]]',
    ],
    urlVariable: 'CACHE_URL',
    // django-environ's scheme for Django's PyMemcacheCache (the memcache:// one names a backend Django 4.1 removed).
    url: 'pymemcache://memcached:11211',
    docs: 'https://hub.docker.com/_/memcached',
  },
};

/** The service `name` stands for. */
export function backingService(name: ServiceName): BackingService {
  return SERVICES[name];
}

/**
 * Parses `--service` (repeatable, or comma-separated).
 * @returns the services in the order given, each once
 * @throws InputError naming `--service` for an unknown name, or both postgres and mysql (each is the
 *   app's DATABASE_URL)
 */
export function parseServices(raw: unknown): ServiceName[] {
  const names = toList(raw).map(name => name.trim().toLowerCase());
  const given: ServiceName[] = [];
  for (const name of names) {
    const known = ALIASES[name] ?? (SERVICE_NAMES as readonly string[]).find(service => service === name);
    if (known === undefined)
      throw new InputError(
        '--service',
        `"${name}" is not a service this generator runs`,
        `use ${SERVICE_NAMES.join(', ')}`,
      );
    if (!given.includes(known as ServiceName)) given.push(known as ServiceName);
  }
  if (given.includes('postgres') && given.includes('mysql'))
    throw new InputError(
      '--service',
      "postgres and mysql would both be the app's DATABASE_URL",
      'give one of them; a second database is yours to add in compose.yaml',
    );
  return given;
}

/** Other names users give the same services. */
const ALIASES: Record<string, ServiceName> = {
  postgresql: 'postgres',
  mariadb: 'mysql',
  valkey: 'redis',
  memcache: 'memcached',
};

/** Names in requirements or pyproject.toml (PEP 503 normalised), and what they mean. */
const PACKAGE_HINTS: [RegExp, ServiceName][] = [
  [/^(psycopg|psycopg2|psycopg2-binary|psycopg-binary|asyncpg|pg8000)$/, 'postgres'],
  [/^(mysqlclient|pymysql|mysql-connector-python)$/, 'mysql'],
  [/^(redis|django-redis|celery|rq|hiredis)$/, 'redis'],
  [/^(pymemcache|pylibmc|python-memcached)$/, 'memcached'],
];

/** Debian packages given to `--apt-packages`, and what they mean. */
const APT_HINTS: [RegExp, ServiceName][] = [
  [/^python3-(psycopg2|psycopg|asyncpg|pg8000)$/, 'postgres'],
  [/^python3-(mysqldb|pymysql)$/, 'mysql'],
  [/^python3-(redis|celery|rq|django-redis)$/, 'redis'],
  [/^python3-(pymemcache|pylibmc|memcache)$/, 'memcached'],
];

/** Django's settings naming an engine or a cache backend. */
const SETTINGS_HINTS: [RegExp, ServiceName][] = [
  [/django\.db\.backends\.postgresql/, 'postgres'],
  [/django\.db\.backends\.mysql/, 'mysql'],
  [/django\.core\.cache\.backends\.redis|django_redis/, 'redis'],
  [/django\.core\.cache\.backends\.memcached/, 'memcached'],
];

/**
 * The services the project's code makes clear it uses: a driver in requirements*.txt or
 * pyproject.toml (`psycopg2`, `redis`, `celery`, ...), a Debian library in `aptPackages`, or an
 * engine or cache backend in Django's settings module.
 * @returns the services in {@link SERVICE_NAMES} order; postgres wins over mysql when both show
 */
export function detectServices(root: string, facts: ProjectFacts, aptPackages: readonly string[]): ServiceName[] {
  const found = new Set<ServiceName>();
  for (const { name } of facts.declaredPackages)
    for (const [pattern, service] of PACKAGE_HINTS) if (pattern.test(name)) found.add(service);
  for (const item of aptPackages)
    for (const [pattern, service] of APT_HINTS) if (pattern.test(item.split('=')[0])) found.add(service);
  const dir = facts.djangoSettingsDir;
  if (facts.djangoSettingsModule && dir !== undefined) {
    const settings = readText(join(root, dir, `${facts.djangoSettingsModule.replaceAll('.', '/')}.py`));
    for (const [pattern, service] of SETTINGS_HINTS) if (pattern.test(settings)) found.add(service);
  }
  if (found.has('postgres')) found.delete('mysql');
  return SERVICE_NAMES.filter(name => found.has(name));
}

/** A backing service as the templates write it. */
export interface ServiceView {
  service: string;
  image: string;
  /** the named volume holding its data, `<service>-data`; '' without one */
  volume: string;
  dataPath: string;
  environment: { name: string; value: string }[];
  hasEnvironment: boolean;
  /** the password's secret, mounted into the service as Compose secret; '' for none */
  password: string;
  /** the health check's `test`, as a JSON (YAML flow) array */
  healthcheck: string;
  urlVariable: string;
  url: string;
  docs: string;
}

/** The services' views, in the order given. */
export function serviceViews(names: readonly ServiceName[]): ServiceView[] {
  return names.map(name => {
    const spec = SERVICES[name];
    return {
      service: spec.service,
      image: spec.image,
      volume: spec.dataPath === '' ? '' : `${spec.service}-data`,
      dataPath: spec.dataPath,
      environment: spec.environment,
      hasEnvironment: spec.environment.length > 0,
      password: spec.password,
      healthcheck: JSON.stringify(spec.healthcheck),
      urlVariable: spec.urlVariable,
      url: spec.url,
      docs: spec.docs,
    };
  });
}

/** The Compose service names `--service` adds, which the app, its workers and init must not take. */
export function serviceHostNames(names: readonly ServiceName[]): string[] {
  return names.map(name => SERVICES[name].service);
}
