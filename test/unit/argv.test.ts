import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  nearestName,
  nearestOption,
  type OptionSpec,
  parseCommandLine,
  yoCommandLine,
} from '../../generators/lib/argv.js';

const SPECS: OptionSpec[] = [
  { name: 'yes', kind: 'boolean', alias: 'y' },
  { name: 'help', kind: 'boolean', alias: 'h' },
  { name: 'skip-build', kind: 'boolean' },
  { name: 'kubernetes', kind: 'boolean' },
  { name: 'port', kind: 'value', description: 'Host port' },
  { name: 'entry', kind: 'value' },
  { name: 'static', kind: 'list' },
  { name: 'data-dir', kind: 'list' },
];
const parse = (...words: string[]) => {
  const line = parseCommandLine(words, SPECS, 'yo test');
  return { given: Object.fromEntries(line.given), positionals: line.positionals };
};
const error = (...words: string[]) => {
  try {
    parse(...words);
  } catch (caught) {
    return (caught as Error).message;
  }
  throw new Error(`${words.join(' ')} was accepted`);
};

describe('parseCommandLine', () => {
  it('on/off flags never take the next word', () => {
    expect(parse('-y', '--skip-build', '../plain')).toEqual({
      given: { yes: true, 'skip-build': true },
      positionals: ['../plain'],
    });
    expect(parse('--kubernetes', 'dir', '--yes')).toEqual({
      given: { kubernetes: true, yes: true },
      positionals: ['dir'],
    });
    expect(parse('-yh')).toEqual({ given: { yes: true, help: true }, positionals: [] });
    expect(parse('--yes=false', '--no-kubernetes')).toEqual({
      given: { yes: false, kubernetes: false },
      positionals: [],
    });
  });

  it('values: --x VALUE, --x=VALUE, a value that is a negative number or "-"', () => {
    expect(parse('--port', '9000', '--entry=a:b')).toEqual({ given: { port: '9000', entry: 'a:b' }, positionals: [] });
    expect(parse('--port', '-1', '--entry', '-')).toEqual({ given: { port: '-1', entry: '-' }, positionals: [] });
    expect(parse('--port=--x')).toEqual({ given: { port: '--x' }, positionals: [] });
  });

  it('lists: repeated, cleared by an empty value or --no-, then added to again', () => {
    expect(parse('--static', '/a=a', '--static=/b=b')).toEqual({
      given: { static: ['/a=a', '/b=b'] },
      positionals: [],
    });
    expect(parse('--static', '')).toEqual({ given: { static: [] }, positionals: [] });
    expect(parse('--no-data-dir', '--static=', '--data-dir', 'x')).toEqual({
      given: { static: [], 'data-dir': ['x'] },
      positionals: [],
    });
  });

  it('-- ends the options', () => {
    expect(parse('--yes', '--', '--port')).toEqual({ given: { yes: true }, positionals: ['--port'] });
  });

  it.each([
    [
      ['--prot', '9000'],
      '--prot: is not an option of yo test. Fix: did you mean --port? (yo test --help lists every option).',
    ],
    [
      ['--kubernets'],
      '--kubernets: is not an option of yo test. Fix: did you mean --kubernetes? (yo test --help lists every option).',
    ],
    [['--zzz'], '--zzz: is not an option of yo test. Fix: yo test --help lists every option.'],
    [['-q'], '-q: is not an option of yo test. Fix: yo test --help lists every option.'],
    [['--port'], '--port: needs a value (Host port). Fix: write --port VALUE or --port=VALUE.'],
    [['--entry', '--yes'], '--entry: needs a value. Fix: write --entry VALUE or --entry=VALUE.'],
    [['--entry', '--'], '--entry: needs a value. Fix: write --entry VALUE or --entry=VALUE.'],
    [['--port='], '--port: needs a value (Host port). Fix: write --port VALUE or --port=VALUE.'],
    [['--static'], '--static: needs a value. Fix: write --static VALUE or --static=VALUE.'],
    [['--port', '1', '--port', '2'], '--port: is given twice ("1" and "2"). Fix: give --port once.'],
    [
      ['--yes=maybe'],
      '--yes: is an on/off flag and takes no value ("maybe"). Fix: write --yes alone (or --no-yes to turn it off).',
    ],
    [['--no-yes=1'], '--no-yes: takes no value ("1"). Fix: write --no-yes alone.'],
    [
      ['--no-port'],
      '--no-port: --port cannot be turned off, it always has a value. Fix: leave --no-port out, or give --port VALUE.',
    ],
  ])('%j is refused in one line naming the flag', (words, message) => {
    expect(error(...words)).toBe(message);
  });

  it('the same value twice is no conflict', () => {
    expect(parse('--port', '1', '--port=1').given).toEqual({ port: '1' });
  });
});

describe('nearestOption / nearestName', () => {
  it.each([
    ['--prot', '--port'],
    ['--Port', '--port'],
    ['--skipBuild', '--skip-build'],
    ['--skip_build', '--skip-build'],
    ['--kube', '--kubernetes'],
    ['--data-dirs', '--data-dir'],
    ['--no-kubernets', '--no-kubernetes'],
    ['--no-prot', undefined], // a value option has no --no- form to suggest
    ['--foo', undefined],
    ['-Y', '-y'],
  ])('%s -> %s', (typed, suggestion) => {
    expect(nearestOption(typed, SPECS)).toBe(suggestion);
  });

  it('compares names without case', () => {
    expect(nearestName('dataDir', ['dataDirs', 'port'])).toBe('dataDirs');
    expect(nearestName('x', ['dataDirs', 'port'])).toBeUndefined();
  });
});

describe('yoCommandLine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wsgi-apache-argv-'));
  const cli = join(dir, 'lib', 'node_modules', 'yo', 'lib', 'cli.js');
  mkdirSync(join(cli, '..'), { recursive: true });
  writeFileSync(cli, '');
  mkdirSync(join(dir, 'bin'));
  symlinkSync(cli, join(dir, 'bin', 'yo'));
  const names = ['wsgi-apache:app', 'wsgi-apache', 'generator-wsgi-apache'];

  it('is the words of our command, as yo was run', () => {
    expect(
      yoCommandLine(['node', join(dir, 'bin', 'yo'), 'wsgi-apache', '-y', '--skip-build', '../plain'], names),
    ).toEqual(['-y', '--skip-build', '../plain']);
    expect(yoCommandLine(['node', cli, 'wsgi-apache:app', '--port', '1'], names)).toEqual(['--port', '1']);
    expect(yoCommandLine(['node', '/usr/bin/yo', '--force=true', 'generator-wsgi-apache'], names)).toEqual([
      '--force=true',
    ]);
  });

  it('follows yo\'s split into several commands at a word ending in ","', () => {
    expect(yoCommandLine(['node', cli, 'other', '--x,', 'wsgi-apache', '--yes'], names)).toEqual(['--yes']);
  });

  it('is undefined when this process is not yo, or yo runs another command', () => {
    expect(yoCommandLine(['node', '/x/vitest.mjs', 'wsgi-apache', '--yes'], names)).toBeUndefined();
    expect(yoCommandLine(['node', cli], names)).toBeUndefined();
    expect(yoCommandLine(['node', cli, 'other'], names)).toBeUndefined();
  });

  it.sequential('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
