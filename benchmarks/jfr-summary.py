#!/usr/bin/env python3
"""Where a benchmark client's CPU goes, from a JFR recording's execution samples (`jfr print` text).

Usage: jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample rec.jfr | benchmarks/jfr-summary.py

Each Java execution sample is put in the first category whose marker appears anywhere on its stack, in the order
below (so TLS work called from migo's code counts as TLS). Native samples (threads inside JNI or a system call) are
listed by their top frame: epoll waits are idle threads, not CPU; netty-tcnative's SSL.* calls are BoringSSL at work.
"""
import collections
import sys

CATEGORIES = [
    ("TLS: SslHandler, JDK TLS and crypto, tcnative", ("io.netty.handler.ssl.", "sun.security.ssl.", "com.sun.crypto.",
                                                        "javax.crypto.", "io.netty.internal.tcnative.")),
    ("MIME encoding (vertx-mail-client's MailEncoder)", ("io.vertx.ext.mail.mailencoder.",)),
    ("migo: protocol, session, pool", ("io.migo.smtp.",)),
    ("vertx-mail-client (its SMTP code)", ("io.vertx.ext.mail.",)),
    ("Angus / Jakarta Mail", ("org.eclipse.angus.", "jakarta.mail.")),
    ("Netty / NIO socket I/O", ("sun.nio.ch.", "io.netty.channel.")),
    ("Vert.x core", ("io.vertx.core.",)),
]


def samples(lines):
    kind, stack, in_stack = None, [], False
    for line in lines:
        s = line.strip()
        if s.startswith("jdk.ExecutionSample") or s.startswith("jdk.NativeMethodSample"):
            kind, stack = s.split()[0], []
        elif s.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and s == "]":
            in_stack = False
            yield kind, stack
        elif in_stack and s and s != "...":
            stack.append(s.split(" line:")[0])


def main():
    java = collections.Counter()
    native = collections.Counter()
    top = collections.Counter()
    n_java = 0
    for kind, stack in samples(sys.stdin):
        if not stack:
            continue
        if kind == "jdk.NativeMethodSample":
            native[stack[0]] += 1
            continue
        n_java += 1
        top[stack[0]] += 1
        for name, markers in CATEGORIES:
            if any(f.startswith(markers) for f in stack):
                java[name] += 1
                break
        else:
            java["other (JDK, GC barriers, JIT'd glue)"] += 1
    print(f"Java execution samples: {n_java}")
    for name, count in java.most_common():
        print(f"  {100.0 * count / max(n_java, 1):5.1f}%  {name}")
    print("top frames (self):")
    for frame, count in top.most_common(12):
        print(f"  {100.0 * count / max(n_java, 1):5.1f}%  {frame}")
    print(f"native-method samples (threads in JNI or a system call): {sum(native.values())}")
    for frame, count in native.most_common(8):
        print(f"  {count:6d}  {frame}")


if __name__ == "__main__":
    main()
