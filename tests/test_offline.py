"""slant sends nothing over the network on its own, not even a DNS query: the real commands run
under strace, and every connect/send of every process and thread is checked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

NETWORK_CALLS = "connect,sendto,sendmsg,sendmmsg"
_PORT = re.compile(r"sin6?_port=htons\((\d+)\)")
_ADDRESS = re.compile(r'inet_(?:addr|pton)\((?:AF_INET6?, )?"([^"]+)"')
_LOOPBACK = re.compile(r"^(127\.|::1$|::ffff:127\.)")


def traced(log: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run a command under strace, following every child process and thread, into `log`."""
    strace = shutil.which("strace")
    if strace is None:
        pytest.fail("strace is not installed: `make test` installs it (apt-get install -y strace)")
    tracing = [strace, "-f", "-qq", "-e", f"trace={NETWORK_CALLS}", "-o", str(log)]
    return subprocess.run([*tracing, *command], capture_output=True, text=True, check=False)


def off_machine(log: Path) -> list[str]:
    """Trace lines that reach for another machine: any non-loopback address, or DNS on port 53."""
    found = []
    for line in log.read_text().splitlines():
        port, address = _PORT.search(line), _ADDRESS.search(line)
        if address is None:
            continue  # a local (AF_UNIX, netlink) socket, or a send on an already connected one
        if (port is not None and port.group(1) == "53") or not _LOOPBACK.match(address.group(1)):
            found.append(line)
    return found


def test_the_address_check_sees_a_dns_query(tmp_path: Path) -> None:
    """The check below can fail: a real resolver lookup under the same trace is caught."""
    resolver = Path("/etc/resolv.conf")
    if not resolver.exists() or "nameserver" not in resolver.read_text():
        pytest.fail("this machine has no resolver configured; the check needs one to prove itself")
    log = tmp_path / "dns.log"
    lookup = "import socket\ntry:\n    socket.getaddrinfo('slant-test.invalid', 80)\nexcept OSError:\n    pass\n"
    traced(log, sys.executable, "-c", lookup)
    assert off_machine(log)


@pytest.mark.slow
def test_ingest_search_ask_summarize_and_compare_stay_on_the_machine(seeds: Path, tmp_path: Path) -> None:
    commands = [
        ["ingest", str(seeds)],
        ["search", "pre-emptive strike"],
        ["ask", "What did Zakharova call the comments?"],
        ["summarize", "--all", "--combined"],
        ["compare", "--source", "seed-002", "--source", "CNewsLive"],
        ["doctor"],
    ]
    for number, command in enumerate(commands):
        log = tmp_path / f"trace-{number}.log"
        done = traced(log, sys.executable, "-m", "slant", *command)
        assert done.returncode == 0, done.stderr[-2000:]
        assert off_machine(log) == [], f"slant {command[0]} reached off the machine"
