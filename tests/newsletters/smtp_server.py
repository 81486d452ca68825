"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1, a free port) that keeps every
message, verifies its DKIM signature with dkimpy against the test's public key, and can
misbehave on purpose: refuse recipients, answer "try later", stall, or hang up mid-batch."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import dkim
from aiosmtpd.controller import Controller

from tests.deploy.servers import free_port


@dataclass
class Received:
    mail_from: str
    rcpt: str
    raw: bytes
    dkim_ok: bool | None

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.default)  # type: ignore[return-value]

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        return body.get_content() if body is not None else ""


@dataclass
class Behaviour:
    refuse: set[str] = field(default_factory=set)  # 550 at RCPT for these addresses
    tempfail: dict[str, int] = field(default_factory=dict)  # 451 at RCPT, N times
    drop_after: int | None = None  # close the connection at MAIL FROM after N accepted
    stall_seconds: float = 0.0  # sleep before answering MAIL FROM
    stall_times: int = 0


class Handler:
    def __init__(self, server: SMTPServer) -> None:
        self.server = server

    async def handle_MAIL(self, srv, session, envelope, address, mail_options):
        b = self.server.behaviour
        if b.stall_times > 0:
            b.stall_times -= 1
            await asyncio.sleep(b.stall_seconds)
        if b.drop_after is not None and len(self.server.received) >= b.drop_after:
            b.drop_after = None
            srv.transport.close()  # hang up: the client sees the connection drop
            return "421 closing"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, srv, session, envelope, address, rcpt_options):
        b = self.server.behaviour
        if address in b.refuse:
            return "550 5.1.1 No such user"
        if b.tempfail.get(address, 0) > 0:
            b.tempfail[address] -= 1
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, srv, session, envelope):
        raw = envelope.original_content or envelope.content
        ok = None
        if self.server.dkim_record is not None:
            record = self.server.dkim_record
            ok = bool(dkim.verify(raw, dnsfunc=lambda name, timeout=5: record))
        with self.server.lock:
            for rcpt in envelope.rcpt_tos:
                self.server.received.append(Received(envelope.mail_from, rcpt, raw, ok))
        return "250 Message accepted"


class SMTPServer:
    def __init__(self, *, dkim_record: bytes | None = None) -> None:
        self.port = free_port()
        self.received: list[Received] = []
        self.behaviour = Behaviour()
        self.dkim_record = dkim_record
        self.lock = threading.Lock()
        self.controller = Controller(
            Handler(self),
            hostname="127.0.0.1",
            port=self.port,
            decode_data=False,
            data_size_limit=10 * 1024 * 1024,
        )

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?timeout=5"

    def start(self) -> SMTPServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [m for m in self.received if m.rcpt == address]

    def wait_for(self, count: int, timeout: float = 10.0) -> None:
        end = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < end:
            time.sleep(0.02)
