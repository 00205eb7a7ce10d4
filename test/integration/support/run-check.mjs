// Runs `yo wsgi-apache:check` from the built package in a process of its own, as yo
// would, so a test can interrupt it with SIGINT. Usage: node run-check.mjs <project> [flags]
import { createEnv } from 'yeoman-environment';

const [project, ...flags] = process.argv.slice(2);
const env = createEnv({ cwd: project });
env.register(new URL('../../../dist/generators/check/index.js', import.meta.url).pathname, {
  namespace: 'wsgi-apache:check',
});
try {
  await env.run(['wsgi-apache:check', ...flags]);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
