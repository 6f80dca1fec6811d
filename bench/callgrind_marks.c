/* Callgrind's client requests for bench/instructions.py, called through ctypes.
 *
 * bench_collect_on: zero the counters and start collecting (the worker runs under
 * --collect-atstart=no). bench_collect_off: stop collecting and dump the counters,
 * labelled with the page's key: one dump per measured request. Outside valgrind
 * both are no-ops.
 */
#include <valgrind/callgrind.h>

void bench_collect_on(void)
{
    CALLGRIND_ZERO_STATS;
    CALLGRIND_TOGGLE_COLLECT;
}

void bench_collect_off(const char *label)
{
    CALLGRIND_TOGGLE_COLLECT;
    CALLGRIND_DUMP_STATS_AT(label);
}
