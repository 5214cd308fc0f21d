// Linux calls Swift's Glibc module does not expose (they need _GNU_SOURCE or <sys/prctl.h>).
#pragma once
#include <stddef.h>
#include <sys/types.h>

/// Moves the calling process into new user and network namespaces: it keeps its files and user,
/// but has no network interface but a down loopback. Must run while the process has one thread.
/// Returns 0, or -1 with the reason in `reason`.
int biomech_isolate_network(char *reason, size_t reason_size);

/// Asks the kernel to SIGKILL this process when the thread that started it exits; returns 0, or
/// -1 when `parent` is already gone (the process was orphaned before the call).
int biomech_die_with_parent(pid_t parent);
