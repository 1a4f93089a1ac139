"""Which Chroma server a URL names, whatever its spelling: the key of the server's write lock,
journal and keyword index (store.state_dir).

`http://127.0.0.1:8000`, `http://localhost:8000`, `http://127.1:8000/`, `http://[::1]:8000` and
`http://0.0.0.0:8000/some/path` all reach a server on this machine at port 8000, so they must
share one lock: two writers through two spellings would otherwise write at once. The host is
resolved to its addresses (names in /etc/hosts, numeric forms like 127.1 and IPv6 literals need no
DNS); every address of this machine (loopback, unspecified, or one a socket can bind) counts as
one, "this machine". The path after the port names nothing of the server and is ignored.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from slant.config.settings import CHROMA_DEFAULT_PORT

THIS_MACHINE = "this-machine"


def server_identity(url: str) -> str:
    """`address:port` of the server at `url`, the same for every spelling of it."""
    parts = urlsplit(url)
    port = parts.port or CHROMA_DEFAULT_PORT
    host = (parts.hostname or "localhost").lower()
    addresses = _addresses(host, port)
    if not addresses:  # cannot be resolved now: its name is all there is to go on
        return f"{host}:{port}"
    if any(_on_this_machine(address) for address in addresses):
        return f"{THIS_MACHINE}:{port}"
    return f"{min(addresses)}:{port}"


def _addresses(host: str, port: int) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return sorted({str(ipaddress.ip_address(str(info[4][0]).split("%")[0])) for info in found})


def _on_this_machine(address: str) -> bool:
    """Loopback, unspecified (0.0.0.0, ::), or an address of one of this machine's interfaces."""
    ip = ipaddress.ip_address(address)
    if ip.is_loopback or ip.is_unspecified:
        return True
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((address, 0))  # only an address of this machine can be bound; nothing is sent
    except OSError:
        return False
    return True
