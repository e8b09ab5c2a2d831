#include <malloc.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* When an allocation fails, the Swift runtime prints one line and calls
   abort(); its backtracer would then spend seconds printing a backtrace and
   the process would die of SIGABRT. evalgate instead ends with exit 3 and a
   sentence: only write(2) and _exit(2), which are async-signal-safe. */
static void evalgate_on_abort(int signal) {
    (void)signal;
    static const char message[] =
        "evalgate: error: the run ran out of memory (an allocation failed under this process's limit); "
        "run it on a bigger runner or with a higher limit, or gate a smaller golden set (a random sample of its rows) "
        "(see docs/reference.md, \"Memory\")\n";
    (void)!write(2, message, sizeof message - 1);
    _exit(3);
}

static inline void evalgate_exit_3_on_abort(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = evalgate_on_abort;
    sigemptyset(&action.sa_mask);
    sigaction(SIGABRT, &action, NULL);
}
