/*
 * knet-seccomp: installs knet's container seccomp filter, then executes its arguments.
 * Usage: knet-seccomp [--] PROGRAM [ARGS...]
 *
 * Container runtimes refuse, by seccomp, the system calls that reach kernel state shared
 * by every container of the machine or that open kernel attack surface a container never
 * needs. knet's pods run as root of the machine (no user namespace), so without this a pod
 * could read the machine's kernel keyrings, or create a user namespace and in it new
 * network namespaces, mounts and nftables. This filter refuses (EPERM):
 *   - keyctl, add_key, request_key        the kernel keyrings (per user of the machine)
 *   - unshare/clone with CLONE_NEWUSER    user namespaces (clone3 answers ENOSYS, so the
 *                                          C library falls back to clone, whose flags are seen)
 *   - mount and the new mount API, umount2, pivot_root, setns
 *   - bpf, perf_event_open, userfaultfd, kexec_*, open_by_handle_at, *_module
 *   - io_uring_* (ENOSYS, so libuv and others fall back to plain system calls): a large
 *     kernel surface that container runtimes now refuse too
 *   - every call of another ABI than the native one (i386 and x32 on x86_64)
 * and allows everything else: a deny list, smaller than Docker's default allow list, aimed
 * at what a root process keeps even without capabilities.
 *
 * It runs right after nsenter, before setpriv drops capabilities: a filter can be installed
 * without no_new_privs only while CAP_SYS_ADMIN is held.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#error "knet-seccomp knows x86_64 and aarch64"
#endif

#define RET_ERRNO(e) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((e) & SECCOMP_RET_DATA))
#define DENY(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), RET_ERRNO(EPERM)

int main(int argc, char **argv) {
  int first = 1;
  if (argc > 1 && strcmp(argv[1], "--") == 0) first = 2;
  if (first >= argc) {
    fprintf(stderr, "usage: knet-seccomp [--] PROGRAM [ARGS...]\n");
    return 2;
  }
  struct sock_filter filter[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0),
    RET_ERRNO(EPERM),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#if defined(__x86_64__)
    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1), /* x32 */
    RET_ERRNO(EPERM),
#endif
    DENY(__NR_keyctl), DENY(__NR_add_key), DENY(__NR_request_key),
    DENY(__NR_mount), DENY(__NR_umount2), DENY(__NR_pivot_root), DENY(__NR_setns),
    DENY(__NR_open_tree), DENY(__NR_move_mount), DENY(__NR_fsopen), DENY(__NR_fsconfig),
    DENY(__NR_fsmount), DENY(__NR_fspick), DENY(__NR_mount_setattr),
    DENY(__NR_bpf), DENY(__NR_perf_event_open), DENY(__NR_userfaultfd),
    DENY(__NR_kexec_load), DENY(__NR_kexec_file_load), DENY(__NR_open_by_handle_at),
    DENY(__NR_init_module), DENY(__NR_finit_module), DENY(__NR_delete_module),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1),
    RET_ERRNO(ENOSYS),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
    RET_ERRNO(ENOSYS),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_enter, 0, 1),
    RET_ERRNO(ENOSYS),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_register, 0, 1),
    RET_ERRNO(ENOSYS),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 1, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 3),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])), /* flags, low half */
    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NEWUSER, 0, 1),
    RET_ERRNO(EPERM),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
    fprintf(stderr, "knet-seccomp: cannot install the seccomp filter: %s\n", strerror(errno));
    return 126;
  }
  execvp(argv[first], argv + first);
  fprintf(stderr, "knet-seccomp: %s: %s\n", argv[first], strerror(errno));
  return errno == ENOENT ? 127 : 126;
}
