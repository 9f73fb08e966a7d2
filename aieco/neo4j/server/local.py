"""A real Neo4j Community 5.26 server on this machine, without Docker.

The server is Neo4j's own jars from Maven Central (``org.neo4j:neo4j`` and its runtime
dependencies, fetched once with Maven using the ``pom.xml`` beside this module and cached),
started with Java 17 as ``org.neo4j.server.CommunityEntryPoint``. It listens on a free
127.0.0.1 port with HTTP off and authentication on; the password is generated on first
start and kept, readable by the owner only, in the instance folder.

Layout under the cache folder (``$AIECO_CACHE_DIR`` or ``~/.cache/aieco``)::

    neo4j-<version>/lib/*.jar          the jars, shared by every instance
    instances/<name>/conf/neo4j.conf   one instance: config, data, logs
    instances/<name>/credentials.json  its password (mode 0600)
    instances/<name>/port.json         its Bolt port, kept across restarts (unless taken)
    instances/<name>/state.json        pid and port while it runs

An instance keeps its port from one start to the next, so exported ``NEO4J_URI`` values stay
valid; it moves only when another program holds the port (and says so). ``start`` returns once
the database itself is online, and :meth:`LocalNeo4jServer.health` tells a running but broken
database (e.g. one that failed recovery after a full disk) from a healthy one.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from aieco.config import env as setting
from aieco.errors import Neo4jSetupError

logger = logging.getLogger(__name__)

#: The Neo4j version the local server runs (the 5.26 LTS line).
NEO4J_VERSION = "5.26.30"
MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
DEFAULT_USER = "neo4j"


def cache_dir() -> Path:
    """The folder holding fetched jars and local instances."""
    env = setting("AIECO_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "aieco"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    """Tell whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _require(tool: str, hint: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise Neo4jSetupError(f"{tool!r} is not on PATH: {hint}")
    return path


def java_major_version(java: str) -> int:
    """Return the major version of the given ``java`` executable."""
    proc = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    text = proc.stderr + proc.stdout
    for token in text.replace('"', " ").split():
        head = token.split(".")[0]
        if head.isdigit() and int(head) >= 8 and "." in token:
            return int(head)
    raise Neo4jSetupError(f"cannot tell the Java version from: {text.strip()[:200]}")


def fetch_jars(version: str = NEO4J_VERSION) -> Path:
    """Fetch Neo4j's jars with Maven (once) and return the folder holding them.

    Raises
    ------
    Neo4jSetupError
        When Maven is missing or the download fails.
    """
    lib = cache_dir() / f"neo4j-{version}" / "lib"
    marker = lib / ".complete"
    if marker.exists():
        return lib
    mvn = _require("mvn", "install Maven (Debian: apt-get install maven) to fetch Neo4j's jars")
    partial = lib.with_name("lib.partial")
    shutil.rmtree(partial, ignore_errors=True)
    pom = resources.files("aieco.neo4j.server") / "pom.xml"
    with resources.as_file(pom) as pom_path:
        cmd = [
            mvn, "-B", "-q", "-f", str(pom_path),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={partial}",
            "-DincludeScope=runtime",
            f"-Dneo4j.version={version}",
        ]  # fmt: skip
        logger.info("fetching Neo4j %s jars with Maven into %s", version, lib)
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    jars = list(partial.glob("*.jar")) if partial.exists() else []
    if proc.returncode != 0 or not jars:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
        raise Neo4jSetupError(f"Maven could not fetch org.neo4j:neo4j:{version}: {' | '.join(tail)}")
    shutil.rmtree(lib, ignore_errors=True)
    partial.rename(lib)
    marker.write_text(version, encoding="utf-8")
    return lib


@dataclass(frozen=True)
class ServerInfo:
    """How to reach a running local server."""

    name: str
    uri: str
    user: str
    password: str
    port: int
    pid: int
    home: str
    version: str = NEO4J_VERSION

    def env(self) -> dict[str, str]:
        """The ``NEO4J_*`` environment variables that point aieco at this server."""
        return {"NEO4J_URI": self.uri, "NEO4J_USER": self.user, "NEO4J_PASSWORD": self.password}


class LocalNeo4jServer:
    """Start, stop and inspect one named local Neo4j instance.

    Parameters
    ----------
    name
        The instance name; each name has its own data folder and password.
    home
        The instance folder (default: ``<cache>/instances/<name>``).
    heap
        Java heap size, e.g. ``"512m"`` or ``"1g"``.
    pagecache
        Neo4j page cache size.

    Examples
    --------
    >>> server = LocalNeo4jServer("demo")
    >>> server.home.name
    'demo'
    """

    def __init__(
        self,
        name: str = "default",
        *,
        home: str | Path | None = None,
        heap: str = "1g",
        pagecache: str = "256m",
        version: str = NEO4J_VERSION,
        extra_settings: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        #: More neo4j.conf settings, after aieco's (benchmarks enable LOAD CSV for a peer with it).
        self.extra_settings = dict(extra_settings or {})
        self.home = Path(home) if home else cache_dir() / "instances" / name
        self.heap = heap
        self.pagecache = pagecache
        self.version = version

    # ---- files --------------------------------------------------------------------
    @property
    def _state_file(self) -> Path:
        return self.home / "state.json"

    @property
    def _credentials_file(self) -> Path:
        return self.home / "credentials.json"

    @property
    def _port_file(self) -> Path:
        return self.home / "port.json"

    def exists(self) -> bool:
        """Tell whether this instance was ever started (it has a password)."""
        return self._credentials_file.exists()

    def _choose_port(self, asked: int | None) -> int:
        if asked is not None:
            return asked
        try:
            kept = int(json.loads(self._port_file.read_text(encoding="utf-8"))["port"])
        except (OSError, ValueError, KeyError, TypeError):
            return free_port()
        if port_open(kept):
            fresh = free_port()
            logger.warning(
                "port %d of instance %r is taken by another program; using %d", kept, self.name, fresh
            )
            return fresh
        return kept

    def _write_private(self, path: Path, payload: dict[str, object]) -> None:
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh)
        tmp.replace(path)

    def write_conf(self) -> Path:
        """Write the instance's configuration (on its kept port) and return its folder.

        Neo4j's tools (the importer) read the instance's data folders from it.
        """
        return self._write_conf(self._choose_port(None))

    def _write_conf(self, port: int) -> Path:
        conf_dir = self.home / "conf"
        for sub in ("conf", "data", "logs", "plugins", "import", "run"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        lines = [
            "server.default_listen_address=127.0.0.1",
            f"server.bolt.listen_address=127.0.0.1:{port}",
            f"server.bolt.advertised_address=127.0.0.1:{port}",
            "server.http.enabled=false",
            "server.https.enabled=false",
            f"server.memory.pagecache.size={self.pagecache}",
            "dbms.security.auth_enabled=true",
            "dbms.usage_report.enabled=false",
            # LOAD CSV may read neither files nor any address (no SSRF through the server)
            "dbms.security.allow_csv_import_from_file_urls=false",
            "internal.dbms.cypher_ip_blocklist=0.0.0.0/0,::/0",
            *(
                f"server.directories.{d}={self.home / d}"
                for d in ("data", "logs", "plugins", "import", "run")
            ),
        ]
        overridden = {line.split("=", 1)[0] for line in lines} & set(self.extra_settings)
        lines = [line for line in lines if line.split("=", 1)[0] not in overridden]
        lines += [f"{key}={value}" for key, value in self.extra_settings.items()]
        (conf_dir / "neo4j.conf").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return conf_dir

    # ---- state --------------------------------------------------------------------
    def info(self) -> ServerInfo | None:
        """The running server's connection details, or ``None`` if it is not running."""
        if not self._state_file.exists():
            return None
        state = json.loads(self._state_file.read_text(encoding="utf-8"))
        info = ServerInfo(**state)
        if not _pid_alive(info.pid):
            self._state_file.unlink(missing_ok=True)
            return None
        return info

    def is_running(self) -> bool:
        """Tell whether the server runs with its database online."""
        return self.health()[0] == "running"

    # ---- start / stop -------------------------------------------------------------
    def start(self, *, port: int | None = None, timeout: float = 180.0) -> ServerInfo:
        """Start the server (fetching jars if needed) and wait until Bolt answers.

        Returns the running server's details; if it already runs, returns them unchanged.

        Raises
        ------
        Neo4jSetupError
            Java 17+ or Maven missing, the fetch failed, or the server did not come up.
        """
        running = self.info()
        if running is not None:
            state, why = self.health()
            if state == "unhealthy":
                raise Neo4jSetupError(f"instance {self.name!r} runs but its database is not online: {why}")
            return running
        java = _require(
            "java", "install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)"
        )
        if java_major_version(java) < 17:
            raise Neo4jSetupError("Neo4j 5.26 needs Java 17 or newer")
        lib = fetch_jars(self.version)
        port = self._choose_port(port)
        conf_dir = self._write_conf(port)
        log = (self.home / "logs" / "console.log").open("ab")
        cmd = [
            java, f"-Xms{self.heap}", f"-Xmx{self.heap}", "-XX:+UseG1GC",
            "-Dfile.encoding=UTF-8", "-cp", f"{lib}/*", MAIN_CLASS,
            f"--home-dir={self.home}", f"--config-dir={conf_dir}",
        ]  # fmt: skip
        logger.info("starting Neo4j %s on 127.0.0.1:%d (home %s)", self.version, port, self.home)
        with log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while not port_open(port):
            if proc.poll() is not None:
                raise Neo4jSetupError(
                    f"Neo4j exited with code {proc.returncode} while starting; see {self.home / 'logs'}"
                )
            if time.monotonic() > deadline:
                _terminate(proc.pid, grace=10)
                raise Neo4jSetupError(f"Neo4j did not open port {port} within {timeout:.0f}s")
            time.sleep(0.3)
        password = self._ensure_password(port)
        info = ServerInfo(
            name=self.name, uri=f"bolt://127.0.0.1:{port}", user=DEFAULT_USER, password=password,
            port=port, pid=proc.pid, home=str(self.home), version=self.version,
        )  # fmt: skip
        self._write_private(self._state_file, asdict(info))
        self._write_private(self._port_file, {"port": port})
        self._wait_online(info, deadline)
        return info

    def _database_status(self, info: ServerInfo) -> tuple[str, str]:
        """(current status, status message) of the default database, asked of the system database."""
        from neo4j import GraphDatabase
        from neo4j.exceptions import DriverError, Neo4jError

        try:
            with GraphDatabase.driver(
                info.uri, auth=(info.user, info.password), connection_timeout=5
            ) as driver:
                records, _, _ = driver.execute_query(
                    "SHOW DEFAULT DATABASE YIELD currentStatus, statusMessage", database_="system"
                )
        except (DriverError, Neo4jError, OSError) as exc:
            return "unreachable", str(exc)
        if not records:
            return "unknown", "no default database"
        return str(records[0]["currentStatus"]), str(records[0]["statusMessage"] or "")

    def _wait_online(self, info: ServerInfo, deadline: float) -> None:
        while True:
            status, message = self._database_status(info)
            if status == "online":
                return
            if status == "offline" and message:
                raise Neo4jSetupError(
                    f"Neo4j runs but its database failed to start: {message[:300]}; see {self.home / 'logs'}"
                )
            if time.monotonic() > deadline:
                raise Neo4jSetupError(f"the database did not come online ({status}: {message[:200]})")
            time.sleep(0.5)

    def health(self) -> tuple[str, str]:
        """``("running", "")``, ``("stopped", "")`` or ``("unhealthy", why)``."""
        info = self.info()
        if info is None:
            return "stopped", ""
        if not port_open(info.port):
            return "unhealthy", f"the process {info.pid} is alive but port {info.port} does not answer"
        status, message = self._database_status(info)
        if status != "online":
            return "unhealthy", f"the database is {status}" + (f": {message[:300]}" if message else "")
        return "running", ""

    def _ensure_password(self, port: int) -> str:
        """Return the instance password, setting a generated one on first start."""
        if self._credentials_file.exists():
            stored = json.loads(self._credentials_file.read_text(encoding="utf-8"))
            return str(stored["password"])
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ServiceUnavailable

        password = secrets.token_urlsafe(18)
        uri = f"bolt://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with GraphDatabase.driver(uri, auth=(DEFAULT_USER, "neo4j")) as driver:
                    driver.execute_query(
                        "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                        old="neo4j", new=password, database_="system",
                    )  # fmt: skip
                break
            except ServiceUnavailable:
                if time.monotonic() > deadline:
                    raise Neo4jSetupError(f"Neo4j on {uri} did not accept connections") from None
                time.sleep(0.5)
            except AuthError as exc:
                raise Neo4jSetupError(
                    f"instance {self.home} already has a password that aieco does not know; "
                    "delete the instance folder to start afresh"
                ) from exc
        self._write_private(self._credentials_file, {"user": DEFAULT_USER, "password": password})
        return password

    def stop(self, *, grace: float = 60.0) -> bool:
        """Stop the server cleanly (SIGTERM, then SIGKILL after ``grace`` seconds).

        Returns whether a running server was stopped.
        """
        info = self.info()
        if info is None:
            return False
        _terminate(info.pid, grace=grace)
        self._state_file.unlink(missing_ok=True)
        return True

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would; for failure tests."""
        info = self.info()
        if info is not None:
            os.kill(info.pid, signal.SIGKILL)
            _wait_gone(info.pid, 30)
            self._state_file.unlink(missing_ok=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child counts as gone
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
        return stat.split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            waited, _ = os.waitpid(pid, os.WNOHANG)
            if waited == pid:
                return True
        except ChildProcessError:
            pass
        if not _pid_alive(pid):
            return True
        time.sleep(0.2)
    return False


def _terminate(pid: int, *, grace: float) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    if not _wait_gone(pid, grace):
        logger.warning("Neo4j (pid %d) ignored SIGTERM for %.0fs; killing it", pid, grace)
        os.kill(pid, signal.SIGKILL)
        _wait_gone(pid, 30)
