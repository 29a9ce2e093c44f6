"""What CLI commands share: settings read once, platform built on first use."""
from __future__ import annotations

from functools import cached_property

import click
from sqlalchemy import Engine

from paas.platform import Platform
from portal.config import ConfigurationError, Settings
from portal.wiring import build_engine, build_platform


class CliContext:
    @cached_property
    def settings(self) -> Settings:
        try:
            return Settings.from_env()
        except ConfigurationError as exc:
            raise click.ClickException(str(exc)) from exc

    @cached_property
    def engine(self) -> Engine:
        return build_engine(self.settings)

    @cached_property
    def platform(self) -> Platform:
        try:
            return build_platform(self.settings, engine=self.engine)
        except ConfigurationError as exc:  # a port's setting (PORTAL_OBJECTS, PORTAL_MAIL ...)
            raise click.ClickException(str(exc)) from exc


pass_context = click.make_pass_decorator(CliContext)
