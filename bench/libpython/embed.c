/* Runs loop.py in an interpreter embedded from a shared libpython, as mod_wsgi does. */
#include <Python.h>

int main(void) {
    Py_Initialize();
    FILE *script = fopen("/bench/loop.py", "r");
    if (!script) return 1;
    int failed = PyRun_SimpleFile(script, "/bench/loop.py");
    Py_Finalize();
    return failed ? 1 : 0;
}
