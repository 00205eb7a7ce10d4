/**
 * The WSGI entry point: what mod_wsgi must load.
 *
 * Accepted forms (gunicorn's syntax for the first two):
 * - `package.module:callable`  - a module-level WSGI callable, e.g. `mysite.wsgi:application`
 * - `package.module:factory()` - an application factory, called once per daemon process
 * - `path/to/app.wsgi`         - a WSGI script file defining `application` (mod_wsgi's own form)
 */
import { spawnSync } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { InputError } from '../lib/input-error.js';
import type { ProjectFacts } from './detect.js';
import { isFile, readText } from '../lib/fs.js';
import { APP_DIR } from '../lib/image-layout.js';
import { projectRelative } from './validators.js';

/** Directories, relative to the project root, searched for a module (in order): the root and a `src/` layout. */
export const MODULE_ROOTS = ['.', 'src'] as const;

/**
 * Module roots this project has besides {@link MODULE_ROOTS}: the directory of a Django
 * manage.py deeper down (`backend/`, `src/backend/`), which Django runs from and imports
 * its project package relative to.
 * @returns project-relative POSIX directories, [] when there are none
 */
export function extraModuleRoots(facts: Pick<ProjectFacts, 'djangoManagePy'>): string[] {
  const dir = facts.djangoManagePy === undefined ? '.' : posix.dirname(facts.djangoManagePy);
  return (MODULE_ROOTS as readonly string[]).includes(dir) ? [] : [dir];
}

export type WsgiEntry =
  | {
      kind: 'callable';
      /** dotted module path, e.g. `mysite.wsgi` */
      module: string;
      /** attribute name, e.g. `application` or `create_app` */
      callable: string;
      /** true for `factory()` */
      factory: boolean;
      /** where the module's top package lives, relative to the project root: `.`, `src` or an extra root such as `backend` */
      moduleRoot: string;
      /**
       * not in the project: a module the image installs (requirements, `--apt-packages`), such as
       * `radicale:application`; the image build checks that it is there
       */
      installed?: boolean;
    }
  | {
      kind: 'script';
      /** project-relative POSIX path of the WSGI script file */
      path: string;
    };

const CALLABLE_ENTRY = /^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):([A-Za-z_]\w*)(\(\))?$/;

/**
 * Parses and checks an entry against the project on disk.
 * @param raw - the entry as typed
 * @param root - the project root
 * @param extraRoots - project-relative directories searched for the module after {@link MODULE_ROOTS}
 *   (see {@link extraModuleRoots})
 * @param installed - a module not in the project is taken as one the image installs
 *   (`installed: true`) instead of refused; coherence.ts refuses it when nothing is installed
 * @throws InputError when the text is neither form, or the module (unless `installed`) / script file does not exist
 */
export function parseEntry(
  raw: unknown,
  root: string,
  extraRoots: readonly string[] = [],
  installed = false,
): WsgiEntry {
  const text = String(raw ?? '').trim();
  if (text === '') {
    throw new InputError(
      '--entry',
      'no WSGI entry point was given and none could be detected',
      'pass --entry module:callable (e.g. mysite.wsgi:application), module:factory() or path/to/app.wsgi',
    );
  }
  const callable = CALLABLE_ENTRY.exec(text);
  if (callable) {
    const [, module, name, call] = callable;
    const roots = [...new Set([...MODULE_ROOTS, ...extraRoots])];
    const moduleRoot = findModuleRoot(module, root, roots);
    const entry = { kind: 'callable' as const, module, callable: name, factory: call !== undefined };
    if (moduleRoot === undefined) {
      if (installed) return { ...entry, moduleRoot: '.', installed: true };
      throw moduleNotFound(text, module, roots);
    }
    return { ...entry, moduleRoot };
  }
  if (/\.(wsgi|py)$/.test(text) && !text.includes(':')) {
    const path = projectRelative('--entry', root, text);
    if (!isFile(join(root, path))) {
      throw new InputError(
        '--entry',
        `WSGI script "${text}" does not exist in ${root}`,
        'correct the path to the script file',
      );
    }
    return { kind: 'script', path };
  }
  throw new InputError(
    '--entry',
    `"${text}" is not a WSGI entry point`,
    'write module:callable (e.g. mysite.wsgi:application), module:factory() (e.g. app:create_app()) or a path ending in .wsgi',
  );
}

/**
 * The refusal of an entry whose module is neither in the project nor installed by the image.
 * @param roots - the project-relative directories searched
 */
export function moduleNotFound(text: string, module: string, roots: readonly string[] = MODULE_ROOTS): InputError {
  const asPath = module.replaceAll('.', '/');
  const where = ['the project', ...roots.filter(dir => dir !== '.').map(dir => `${dir}/`)];
  return new InputError(
    '--entry',
    `module "${module}" of "${text}" was not found (looked for ${asPath}.py and ${asPath}/__init__.py in ${where.slice(0, -1).join(', in ')} and in ${where.at(-1)}), and the image installs no Python packages`,
    'correct the module path, run the generator from the project root, or list the package that provides it in requirements.txt (on a Debian base: --apt-packages python3-...)',
  );
}

/**
 * Refuses an entry file with a string literal naming the project by its absolute path on this
 * machine (a deploy tool's generated WSGI script writes `sys.path.insert(0, '/home/me/app')`):
 * the image has the project at {@link APP_DIR}, so the app would fail there only.
 * @param file - the entry's file; @param shown - its project-relative path, for the message
 * @throws InputError naming `--entry`, the path, its line and the fix
 */
function refuseHostPath(file: string, root: string, shown: string): void {
  const source = readText(file);
  for (const path of new Set([root, realpathSync(root)])) {
    if (path === sep) continue;
    const quoted = new RegExp(`(['"])${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=['"/])`).exec(source);
    if (!quoted) continue;
    const line = source.slice(0, quoted.index).split('\n').length;
    throw new InputError(
      '--entry',
      `${shown} names the project by its path on this machine, ${path} (line ${line}), which the image does not have (there it is ${APP_DIR})`,
      'derive it from the script instead, e.g. os.path.dirname(os.path.abspath(__file__))',
    );
  }
}

/** The entry in the form the user types it, as stored in `.yo-rc.json`. */
export function formatEntry(entry: WsgiEntry): string {
  return entry.kind === 'script' ? entry.path : `${entry.module}:${entry.callable}${entry.factory ? '()' : ''}`;
}

function findModuleRoot(module: string, root: string, roots: readonly string[]): string | undefined {
  const asPath = module.replaceAll('.', '/');
  return roots.find(dir => isFile(join(root, dir, `${asPath}.py`)) || isFile(join(root, dir, asPath, '__init__.py')));
}

/**
 * What one Python module binds at module level, as Python's own `ast` sees it.
 * Only simple facts are kept: enough to tell a missing name, a WSGI application
 * `(environ, start_response)` and a factory that takes no arguments apart.
 */
interface ModuleScan {
  /** every name bound at module level (assignment, def, class, import, for/with/except targets, `global` in a function) */
  names: Record<string, Binding[]>;
  /** the module may bind names no parser can see (`from x import *`, a module `__getattr__`, `globals()`, `sys.modules`) */
  open: boolean;
}

/** One binding of a name; a `def` without decorators carries its signature. */
type Binding =
  | { kind: 'function'; positional: number; requiredPositional: number; requiredKeyword: number; varargs: boolean }
  | { kind: 'other' };

/**
 * Run by the host's `python3` with the module's path as argv[1]: prints {@link ModuleScan} as JSON,
 * or `null` when the source does not parse (see {@link scanModule} for why that is no error).
 */
const SCAN_SCRIPT = String.raw`
import ast, json, sys
names, state = {}, {"open": False}
def bind(name, info=None):
    names.setdefault(name, []).append(info or {"kind": "other"})
def signature(fn):
    a = fn.args
    positional = a.posonlyargs + a.args
    return {"kind": "function", "positional": len(positional),
            "requiredPositional": len(positional) - len(a.defaults),
            "requiredKeyword": sum(1 for d in a.kw_defaults if d is None),
            "varargs": a.vararg is not None}
class ModuleLevel(ast.NodeVisitor):
    def visit_FunctionDef(self, node):
        bind(node.name, None if node.decorator_list else signature(node))
        if node.name == "__getattr__":
            state["open"] = True
    def visit_AsyncFunctionDef(self, node):
        bind(node.name)
    def visit_ClassDef(self, node):
        bind(node.name)
    def visit_Lambda(self, node):
        pass
    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Store):
            bind(node.id)
    def visit_Import(self, node):
        for alias in node.names:
            bind(alias.asname or alias.name.split(".")[0])
    def visit_ImportFrom(self, node):
        for alias in node.names:
            if alias.name == "*":
                state["open"] = True
            else:
                bind(alias.asname or alias.name)
    # "except E as name", "case P as name", "case [*name]" and "case {**rest}": a name that may be absent.
    def bind_optional_name(self, node):
        name = node.rest if isinstance(node, ast.MatchMapping) else node.name
        if name:
            bind(name)
        self.generic_visit(node)
    visit_ExceptHandler = visit_MatchAs = visit_MatchStar = visit_MatchMapping = bind_optional_name
try:
    with open(sys.argv[1], "rb") as source:
        tree = ast.parse(source.read(), sys.argv[1])
except Exception:
    print("null")
    sys.exit(0)
ModuleLevel().visit(tree)
for node in ast.walk(tree):
    if isinstance(node, ast.Global):
        for name in node.names:
            bind(name)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("globals", "vars", "exec", "setattr"):
        state["open"] = True
    elif isinstance(node, ast.Attribute) and node.attr == "modules" and isinstance(node.value, ast.Name) and node.value.id == "sys":
        state["open"] = True
print(json.dumps({"names": names, "open": state["open"]}))
`;

const scans = new Map<string, ModuleScan | undefined>();

/**
 * Parses a Python file with the host's `python3` (`ast`, the parser Python itself runs), once
 * per file and version of it.
 * @param file - absolute path of the module or WSGI script
 * @returns undefined when nothing can be known. Then the entry is accepted unchecked, because
 *   refusing would be wrong: without `python3` on this machine (the generator needs only Node)
 *   there is no parser Python agrees with; and a SyntaxError may come from an older host Python
 *   than the image's (3.13 on trixie) meeting newer syntax, while a real one shows as a 500 with
 *   its traceback on the first request.
 */
function scanModule(file: string): ModuleScan | undefined {
  let key: string;
  try {
    const stat = statSync(file);
    key = `${file}\0${stat.mtimeMs}\0${stat.size}`;
  } catch {
    return undefined;
  }
  if (scans.has(key)) return scans.get(key);
  const run = spawnSync('python3', ['-I', '-', file], {
    input: SCAN_SCRIPT,
    encoding: 'utf8',
    timeout: 20_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  let scan: ModuleScan | undefined;
  if (!run.error && run.status === 0) {
    try {
      scan = (JSON.parse(run.stdout) as ModuleScan | null) ?? undefined;
    } catch {
      scan = undefined;
    }
  }
  scans.set(key, scan);
  return scan;
}

/** The file Python imports for `entry`: a package's `__init__.py` wins over a module file of the same name, as in Python's import system. */
function moduleFile(entry: Extract<WsgiEntry, { kind: 'callable' }>, root: string): string {
  const base = join(root, entry.moduleRoot, entry.module.replaceAll('.', '/'));
  return isFile(join(base, '__init__.py')) ? join(base, '__init__.py') : `${base}.py`;
}

/** A plain `def` can take `(environ, start_response)` as mod_wsgi passes them. */
function acceptsWsgiCall(fn: Extract<Binding, { kind: 'function' }>): boolean {
  return (fn.varargs || fn.positional >= 2) && fn.requiredPositional <= 2 && fn.requiredKeyword === 0;
}

/** A plain `def` can be called with no arguments, as the generated script calls a factory. */
function acceptsNoArguments(fn: Extract<Binding, { kind: 'function' }>): boolean {
  return fn.requiredPositional === 0 && fn.requiredKeyword === 0;
}

/**
 * The project file {@link checkEntryCallable} had to skip: the entry's source is here, but the host's
 * `python3` did not parse it (none installed, a syntax it does not know, or over 20 s on a starved
 * machine; see {@link scanModule}). Reads the check's own cached scan, so the two agree.
 * @param entry - from {@link parseEntry}
 * @param root - the project root
 * @returns the file, project-relative with /, or undefined when it was checked or is installed
 */
export function uncheckedEntryFile(entry: WsgiEntry, root: string): string | undefined {
  if (entry.kind === 'callable' && entry.installed) return undefined;
  const file = entry.kind === 'script' ? join(root, entry.path) : moduleFile(entry, root);
  return scanModule(file) === undefined ? posix.normalize(relative(root, file).split(sep).join('/')) : undefined;
}

/**
 * Checks that the entry's callable exists in its module and is called the right way, with
 * Python's own parser (one `python3` run per module file; see {@link scanModule} for when the
 * check is skipped). Refused:
 * - a name the module does not bind at module level (assignment, def, class, import);
 * - a submodule named as the callable (`pkg:sub`);
 * - a plain `def` that cannot take `(environ, start_response)` without `()`: with no required
 *   arguments it is a factory (`myapp:create_app` -> did you mean `myapp:create_app()`?);
 * - `factory()` on a plain `def` that needs arguments (a WSGI application called with none);
 * - a WSGI script (`.wsgi`) that defines no `application`, the name mod_wsgi calls.
 * Decorated functions, classes and other objects are accepted as they are: their call signature
 * is not visible statically.
 * @param entry - from {@link parseEntry} (the module or script exists)
 * @param root - the project root
 * @returns the entry, unchanged
 * @throws InputError naming `--entry` and the fix
 */
export function checkEntryCallable(entry: WsgiEntry, root: string): WsgiEntry {
  if (entry.kind === 'callable' && entry.installed) return entry; // no source here: the image build imports it
  const text = formatEntry(entry);
  const file = entry.kind === 'script' ? join(root, entry.path) : moduleFile(entry, root);
  const shown = posix.normalize(relative(root, file).split(sep).join('/'));
  refuseHostPath(file, root, shown);
  const scan = scanModule(file);
  if (scan === undefined) return entry;
  const name = entry.kind === 'script' ? 'application' : entry.callable;
  const bindings = scan.names[name];
  if (bindings === undefined) {
    if (scan.open) return entry;
    if (entry.kind === 'script') {
      throw new InputError(
        '--entry',
        `WSGI script ${shown} defines no "application", the name mod_wsgi calls`,
        'define application in it (e.g. application = create_app()), or pass --entry module:callable',
      );
    }
    if (file.endsWith('__init__.py')) {
      const sub = join(dirname(file), name);
      if (isFile(`${sub}.py`) || isFile(join(sub, '__init__.py'))) {
        throw new InputError(
          '--entry',
          `"${text}" names the module ${entry.module}.${name}, not a callable in it`,
          `name the callable inside that module, e.g. --entry ${entry.module}.${name}:application`,
        );
      }
    }
    const known = Object.keys(scan.names)
      .filter(candidate => !candidate.startsWith('_'))
      .sort();
    const listed =
      known.length === 0
        ? 'it binds no public names'
        : `it binds ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', ...' : ''}`;
    throw new InputError(
      '--entry',
      `${shown} defines no "${name}" at module level (${listed})`,
      `name the WSGI application or factory it defines, e.g. --entry ${suggestEntry(entry, scan)}`,
    );
  }
  // Rebound names (a def later wrapped in middleware) and decorated defs: the signature is not the callable's.
  const only = bindings.length === 1 ? bindings[0] : undefined;
  if (only?.kind !== 'function') return entry;
  const factory = entry.kind === 'callable' && entry.factory;
  if (!factory && !acceptsWsgiCall(only)) {
    if (entry.kind === 'callable' && acceptsNoArguments(only)) {
      throw new InputError(
        '--entry',
        `${text} is a function taking no arguments, an application factory, not a WSGI application (environ, start_response)`,
        `did you mean ${text}()? (then each daemon process calls it once)`,
      );
    }
    throw new InputError(
      '--entry',
      `${name}() in ${shown} ${describeArguments(only)}, so it cannot be the WSGI application, which mod_wsgi calls with (environ, start_response)`,
      entry.kind === 'script'
        ? 'make application a WSGI callable in the script (e.g. application = create_app())'
        : 'name the WSGI application, or a factory taking no arguments followed by ()',
    );
  }
  if (factory && !acceptsNoArguments(only)) {
    const plain = `${entry.module}:${entry.callable}`;
    throw new InputError(
      '--entry',
      `${text} calls ${name} without arguments, but it ${describeArguments(only)}`,
      acceptsWsgiCall(only)
        ? `it is a WSGI application itself: did you mean ${plain}? (without "()")`
        : `give its arguments defaults, or name a factory that takes none`,
    );
  }
  return entry;
}

function describeArguments(fn: Extract<Binding, { kind: 'function' }>): string {
  const required = fn.requiredPositional + fn.requiredKeyword;
  if (required > 0) return `requires ${required} argument${required === 1 ? '' : 's'}`;
  if (fn.positional === 0) return 'takes no arguments';
  return `takes at most ${fn.positional} positional argument${fn.positional === 1 ? '' : 's'}`;
}

/** A likely right entry for a message: `application`, `app`, a WSGI-shaped def, or a no-argument factory with `()`. */
function suggestEntry(entry: Extract<WsgiEntry, { kind: 'callable' }>, scan: ModuleScan): string {
  const single = (name: string) => (scan.names[name]?.length === 1 ? scan.names[name][0] : undefined);
  for (const name of ['application', 'app']) if (scan.names[name]) return `${entry.module}:${name}`;
  const defs = Object.keys(scan.names)
    .filter(name => !name.startsWith('_'))
    .sort();
  const wsgi = defs.find(name => {
    const b = single(name);
    return b?.kind === 'function' && acceptsWsgiCall(b);
  });
  if (wsgi) return `${entry.module}:${wsgi}`;
  const factory = defs.find(name => /^(create|make)_?app/i.test(name));
  return factory ? `${entry.module}:${factory}()` : `${entry.module}:application`;
}
