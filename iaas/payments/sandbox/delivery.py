"""Delivering the sandbox's events as Stripe does: an HTTP POST of the JSON body to the
webhook endpoint, signed at the moment of sending, from a background thread, retried with
growing pauses until the endpoint answers 2xx. The web process starts the sender when it
starts (``start``), so events an earlier run could not deliver (to another address, or while
it was down) go to this run's address at once, with no command; ``deliver_due`` also serves
the CLI. Each pass also runs the provider's own housekeeping (closing expired checkouts)."""
from __future__ import annotations

import logging
import os
import threading
import time
import urllib.error
import urllib.request

from collections.abc import Callable

from iaas.payments.sandbox.store import SandboxStore
from iaas.payments.signature import HEADER, signature_header

log = logging.getLogger(__name__)
FIRST_PAUSE_SECONDS = 5  # also the lease: another worker leaves a claimed event alone this long
MAX_PAUSE_SECONDS = 300
IDLE_WAIT_SECONDS = 30


class HttpDelivery:
    def __init__(self, store: SandboxStore, secret: str, url: str, *, timeout: float = FIRST_PAUSE_SECONDS) -> None:
        self._store, self._secret, self._url, self._timeout = store, secret, url, timeout
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()
        # What the provider does on each pass besides sending (the gateway sets it).
        self.housekeeping: Callable[[], object] | None = None

    @property
    def url(self) -> str:
        return self._url

    def start(self) -> None:
        """Start the sender now, not at the first new event: a process that starts picks up
        what an earlier one left undelivered, and sends it to its own address."""
        self.notify()

    def notify(self) -> None:
        """Start the sender on first use (in each worker process, after any fork), then wake it."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive() or self._pid != os.getpid():
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="sandbox-webhooks", daemon=True)
                self._thread.start()
        self._wake.set()

    def deliver_due(self, *, everything: bool = False) -> int:
        """Send each undelivered event whose pause is over (or every one); returns how many got a 2xx."""
        delivered = 0
        for event_id, payload in self._claim(everything):
            if self._post(payload):
                self._store.execute("UPDATE events SET delivered_at = ? WHERE id = ?", time.time(), event_id)
                delivered += 1
        return delivered

    def _claim(self, everything: bool) -> list[tuple[str, str]]:
        now = time.time()
        with self._store.transaction() as conn:
            rows = conn.execute(
                "SELECT id, payload, attempts FROM events WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY seq",
                (float("inf") if everything else now,),
            ).fetchall()
            for row in rows:  # when to try again, should this attempt fail: 5 s, 10 s, 20 s ... 5 min
                pause = min(MAX_PAUSE_SECONDS, FIRST_PAUSE_SECONDS * 2 ** row["attempts"])
                conn.execute("UPDATE events SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?",
                             (now + pause, row["id"]))
        return [(row["id"], row["payload"]) for row in rows]

    def _post(self, payload: str) -> bool:
        request = urllib.request.Request(
            self._url, data=payload.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/json", HEADER: signature_header(payload, self._secret),
                     "User-Agent": "PingheSandbox/1.0 (+webhooks)"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310 - our own endpoint
                return 200 <= response.status < 300
        except (urllib.error.URLError, OSError) as exc:
            log.info("sandbox webhook to %s not delivered yet: %s", self._url, exc)
            return False

    def _run(self) -> None:
        # The first pass sends everything waiting: the pauses were earned against an address
        # (or a server) that may not be this one.
        everything = True
        while True:
            self._wake.clear()
            try:
                if self.housekeeping is not None:
                    self.housekeeping()
                self.deliver_due(everything=everything)
            except Exception:  # keep the sender alive; the events stay in the store
                log.exception("sandbox webhook delivery failed")
            everything = False
            rows = self._store.read("SELECT MIN(next_attempt_at) FROM events WHERE delivered_at IS NULL")
            soonest = rows[0][0] if rows and rows[0][0] is not None else None
            wait = IDLE_WAIT_SECONDS if soonest is None else min(IDLE_WAIT_SECONDS, max(0.05, soonest - time.time()))
            self._wake.wait(wait)
