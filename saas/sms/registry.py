"""Every SMS command, declared once: its keywords (English and Chinese), its line of help
and its handler. The parser, the help text and the dispatcher read this list; a new command
is one more entry in ``saas.sms.commands.ALL``."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from saas.sms.conversation import Conversation


@dataclass(frozen=True)
class SmsCommand:
    name: str
    keywords: tuple[str, ...]  # upper-case, already NFKC-folded
    usage: str  # message id: what it does, as the simulator's list says it ("" for none)
    handle: Callable[["Conversation", tuple[str, ...]], str]
    needs_customer: bool = True  # only a verified mobile bound to a customer may use it
    # It only reads (and says what it read): a batch of such may share one transaction.
    reads_only: bool = False
    # What it reads that a batch reads ahead for all its senders at once ("asset_sheet", "open_dues").
    reads: tuple[str, ...] = ()

    @property
    def english(self) -> str:
        return next((k for k in self.keywords if k.isascii()), "")

    @property
    def chinese(self) -> str:
        return next((k for k in self.keywords if not k.isascii()), "")


@cache
def all_commands() -> tuple[SmsCommand, ...]:
    from saas.sms.commands import ALL

    return ALL


@cache
def keyword_map() -> dict[str, str]:
    return {keyword: command.name for command in all_commands() for keyword in command.keywords}


@cache
def _by_name() -> dict[str, SmsCommand]:
    return {command.name: command for command in all_commands()}


def command(name: str) -> SmsCommand | None:
    return _by_name().get(name)
