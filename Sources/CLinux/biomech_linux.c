#define _GNU_SOURCE
#include "biomech_linux.h"
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int biomech_isolate_network(char *reason, size_t reason_size) {
    if (unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0) return 0;
    int code = errno;
    snprintf(reason, reason_size, "unshare(CLONE_NEWUSER | CLONE_NEWNET): %s%s", strerror(code),
             code == EINVAL ? " (the process already has several threads)" :
             code == EPERM || code == ENOSPC ? " (unprivileged user namespaces are off: sysctl kernel.unprivileged_userns_clone, user.max_user_namespaces)" : "");
    return -1;
}

int biomech_die_with_parent(pid_t parent) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return -1;
    // The parent may have died before prctl: then this process was already handed to another one.
    return getppid() == parent ? 0 : -1;
}
