/**
 * Fixed facts of the generated image that both generators rely on: the app generator
 * writes them into the templates, the check finds the processes by them.
 */

/** Where the project lives inside the image. */
export const APP_DIR = '/srv/app';
/** The virtualenv mod_wsgi uses as `python-home`. */
export const VENV_DIR = '/opt/venv';
/** Apache listens here inside the container: a high port, so Apache needs no root at all. */
export const CONTAINER_PORT = 8080;
/**
 * The mod_wsgi daemon process group. Fixed and short: display-name=%{GROUP} overwrites
 * argv[0] (`/usr/sbin/apache2`, 17 bytes), so `(wsgi:app)` stays whole where a project
 * name would be cut off.
 */
export const PROCESS_GROUP = 'app';
/** uid/gid of the image's `app` user (docker init uses 10001 too). */
export const APP_UID = 10001;
