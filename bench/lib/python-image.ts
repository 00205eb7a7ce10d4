// Which python:3.13-slim-trixie the benchmark measures. Without Docker Hub it is the local
// stand-in of images/build-python-slim.sh, which the tests build fast (no PGO, no LTO); a
// benchmark of the python base against that would understate it, so the benchmark builds the
// faithful one (docker-library's PGO+LTO recipe) first, and its report says which it used.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BASES } from '../../generators/app/bases.js';
import { docker } from './docker.js';
import { PYTHON_VERSION } from './variants.js';

const run = promisify(execFile);

/** The image the python base builds FROM. */
export const PYTHON_IMAGE = BASES.python.image(PYTHON_VERSION);

/** The label images/python-slim/Dockerfile sets: `fast` or `faithful`. */
const BUILD_LABEL = 'org.generator-wsgi-apache.python-build';

/**
 * What the local {@link PYTHON_IMAGE} is.
 * @returns `official` (no stand-in label: pulled from a registry), `faithful` or `fast`
 *   (images/build-python-slim.sh's PYTHON_BUILD), or `absent`
 */
export async function pythonImageBuild(): Promise<'official' | 'faithful' | 'fast' | 'absent'> {
  try {
    const info = await docker.getImage(PYTHON_IMAGE).inspect();
    const label = info.Config?.Labels?.[BUILD_LABEL];
    return label === 'fast' || label === 'faithful' ? label : 'official';
  } catch {
    return 'absent';
  }
}

/** One line for the report: which interpreter the python base's figures come from. */
export function describePythonImage(build: Awaited<ReturnType<typeof pythonImageBuild>>): string {
  switch (build) {
    case 'official':
      return `\`${PYTHON_IMAGE}\` as pulled from Docker Hub`;
    case 'faithful':
      return `\`${PYTHON_IMAGE}\`: the local stand-in built with docker-library's recipe, PGO and LTO (images/build-python-slim.sh, PYTHON_BUILD=faithful)`;
    case 'fast':
      return `\`${PYTHON_IMAGE}\`: the local stand-in built WITHOUT PGO and LTO (PYTHON_BUILD=fast), slower than the official image; the python base's figures understate it`;
    case 'absent':
      return `\`${PYTHON_IMAGE}\` absent`;
  }
}

/**
 * Makes the {@link PYTHON_IMAGE} the benchmark measures the faithful one: a fast stand-in is
 * rebuilt with PYTHON_BUILD=faithful (about 33 min on 2 cores, once; the tests keep using it).
 * An official or faithful image is used as it is.
 * @param root the checkout, which holds images/build-python-slim.sh
 * @returns what is there afterwards
 * @throws when the build fails (with the script's stderr)
 */
export async function ensureFaithfulPython(
  root: string,
  log: (line: string) => void,
): Promise<Awaited<ReturnType<typeof pythonImageBuild>>> {
  const before = await pythonImageBuild();
  if (before !== 'fast' && before !== 'absent') return before;
  log(`${PYTHON_IMAGE} is ${before === 'fast' ? 'a fast (no PGO/LTO) stand-in' : 'absent'}: building the faithful one`);
  await run('bash', [join(root, 'images', 'build-python-slim.sh')], {
    env: { ...process.env, PYTHON_BUILD: 'faithful' },
    maxBuffer: 16 << 20,
  });
  return pythonImageBuild();
}
