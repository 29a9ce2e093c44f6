"""Mail through Amazon SES (the v2 API): one message per call, UTF-8 subject and text body, sent
through the configuration set that records deliveries, bounces and complaints. The outbox
reference rides along as a message tag, so a bounce or a repeat can be traced to its row."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iaas.messaging import Envelope

_TAG_VALUE = re.compile(r"[^A-Za-z0-9_.@-]")  # what SES accepts in a tag value


class SesMailGateway:
    def __init__(self, client: Any, from_address: str, *, configuration_set: str | None = None) -> None:
        if "@" not in from_address:
            raise ValueError(f"SES needs a sender address, not {from_address!r}")
        self._client = client
        self._from = from_address
        self._configuration_set = configuration_set

    def send(self, envelope: "Envelope") -> str:
        if envelope.channel != "email":
            raise ValueError(f"SES carries e-mail, not {envelope.channel}")
        request: dict[str, Any] = {
            "FromEmailAddress": self._from,
            "Destination": {"ToAddresses": [envelope.recipient]},
            "Content": {"Simple": {
                "Subject": {"Data": envelope.subject or "", "Charset": "UTF-8"},
                "Body": {"Text": {"Data": envelope.body, "Charset": "UTF-8"}},
            }},
            "EmailTags": [{"Name": "reference", "Value": _TAG_VALUE.sub("_", envelope.reference)[:256]}],
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        return self._client.send_email(**request)["MessageId"]
