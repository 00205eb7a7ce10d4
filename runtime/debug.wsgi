"""The WSGI script of debug mode.

Managed by generator-wsgi-apache: `yo wsgi-apache` updates it, merging edits of yours. Your own
settings go in the environment (compose.yaml, .env), Apache directives in docker/apache/*.conf.

Copied as it is by generator-wsgi-apache to docker/debug.wsgi. Used only when WSGI_DEBUG_MODE=1
(docker/apache2.conf, <IfDefine WSGI_DEBUG_MODE>): the app runs embedded in the single Apache
process, attached to the container's terminal. With WSGI_DEBUGGER=1 an unhandled exception
opens pdb post-mortem on that terminal, as mod_wsgi-express --enable-debugger does; `c`
(continue) ends the session and the request gets its 500. With WSGI_DEBUGGER_STARTUP=1 pdb also
stops before the app is imported.

The app is the project's own WSGI script, which docker/wsgi-apache.json names ("wsgiScript"):
the user's script, or docker/app.wsgi, which imports the entry.
"""

import json
import os
import runpy
import sys

os.environ["MOD_WSGI_DEBUG_MODE"] = "true"
# WSGI_DEBUGGER_STARTUP=1 (mod_wsgi-express --debugger-startup): apache2.conf loads this script
# as the process starts, and pdb stops on the next line, before the app is imported. Once per
# process: with the request tools on, docker/devtools.wsgi runs this script again.
if os.environ.get("WSGI_DEBUGGER_STARTUP") == "1" and os.environ.get("WSGI_DEBUGGER_STARTED") != "1":
    import pdb

    os.environ["WSGI_DEBUGGER_STARTED"] = "1"
    print(
        "debugger at startup (WSGI_DEBUGGER_STARTUP=1): the app is not imported yet; 'c' to continue",
        file=sys.__stdout__,
        flush=True,
    )
    pdb.Pdb(stdin=sys.__stdin__, stdout=sys.__stdout__).set_trace()


def wsgi_script(data_file=None):
    """The WSGI script debug mode serves: "wsgiScript" of docker/wsgi-apache.json, beside this file."""
    here = os.path.dirname(os.path.abspath(__file__))
    with open(data_file or os.path.join(here, "wsgi-apache.json")) as handle:
        return json.load(handle)["wsgiScript"]


if "mod_wsgi" in sys.modules:  # not when a unit test imports this file
    application = runpy.run_path(wsgi_script())["application"]


class PostMortemDebugger:
    """Runs pdb on the terminal (sys.__stdin__/__stdout__) when the app raises."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        try:
            return list(self.app(environ, start_response))
        except Exception:
            import pdb
            import traceback

            traceback.print_exc(file=sys.__stdout__)
            print(
                "post-mortem debugger (WSGI_DEBUGGER=1): inspect with pdb, 'c' to continue",
                file=sys.__stdout__,
                flush=True,
            )
            debugger = pdb.Pdb(stdin=sys.__stdin__, stdout=sys.__stdout__)
            debugger.reset()
            debugger.interaction(None, sys.exc_info()[2])
            raise


if "mod_wsgi" in sys.modules and os.environ.get("WSGI_DEBUGGER", "0").lower() in ("1", "true", "yes", "on"):
    os.environ["MOD_WSGI_DEBUGGER_ENABLED"] = "true"
    application = PostMortemDebugger(application)
