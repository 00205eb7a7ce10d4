import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/**
 * Builds a tiny pure-Python wheel, `tinygreeting-1.0-py3-none-any.whl` (`greet()`, and a WSGI
 * `tinygreeting.wsgi:application` that answers the greeting and " (the installed package)"), into `directory`
 * with the host's python3 and its standard library only (zipfile, hashlib): there is no
 * PyPI here, so no build backend can be downloaded. The wheel is complete, RECORD hashes
 * included, so pip installs it like any other, and byte for byte the same for the same greeting
 * (a warm run's builds were cache misses, 35 s each, while the zip entries carried the time).
 * @returns the wheel's file name
 */
export function buildTinyWheel(directory: string, greeting: string): string {
  mkdirSync(directory, { recursive: true });
  const script = `
import base64, hashlib, sys, zipfile
out, greeting = sys.argv[1], sys.argv[2]
name = "tinygreeting-1.0-py3-none-any.whl"
files = {
    "tinygreeting/__init__.py": f"def greet():\\n    return {greeting!r}\\n",
    "tinygreeting/wsgi.py": (
        "from tinygreeting import greet\\n\\n\\n"
        "def application(environ, start_response):\\n"
        "    body = (greet() + ' (the installed package)\\\\n').encode()\\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\\n"
        "    return [body]\\n"
    ),
    "tinygreeting-1.0.dist-info/METADATA": "Metadata-Version: 2.1\\nName: tinygreeting\\nVersion: 1.0\\n",
    "tinygreeting-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\\nGenerator: generator-wsgi-apache tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
def digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
record = "".join(f"{path},{digest(text.encode())},{len(text.encode())}\\n" for path, text in files.items())
files["tinygreeting-1.0.dist-info/RECORD"] = record + "tinygreeting-1.0.dist-info/RECORD,,\\n"
with zipfile.ZipFile(f"{out}/{name}", "w", zipfile.ZIP_DEFLATED) as wheel:
    for path, text in files.items():
        # A fixed time: the same bytes every run, so Docker's build cache keeps the layers it is in.
        wheel.writestr(zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0)), text)
print(name)
`;
  return execFileSync('python3', ['-c', script, directory, greeting]).toString().trim();
}
