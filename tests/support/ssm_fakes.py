"""An SSM Parameter Store in memory, answering `get_parameter` as boto3's client does (ParameterNotFound as a
ClientError), and counting the requests it took."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError


class FakeParameters:
    def __init__(self, values: dict[str, str] | None = None) -> None:
        self.values = dict(values or {})
        self.requests = 0

    def get_parameter(self, Name: str, **_: Any) -> dict[str, Any]:
        self.requests += 1
        if Name not in self.values:
            raise ClientError({"Error": {"Code": "ParameterNotFound", "Message": ""}}, "GetParameter")
        return {"Parameter": {"Name": Name, "Type": "String", "Value": self.values[Name], "Version": 1}}
