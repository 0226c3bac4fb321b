"""Keys of the Apple Wallet items in the single table (see docs/ARCHITECTURE.md, "Apple Wallet items").

A device's registration is kept twice, in one transaction: under the device (what the phone lists with
`passesUpdatedSince`) and under the pass's own partition (whom to push when the pass changes).
"""

from __future__ import annotations

from loyalty.adapters.dynamodb.keys import Key, pass_partition

DEVICE_SORT_PREFIX = "DEVICE#"


def device_partition(device_library_id: str) -> str:
    return f"DEVICE#{device_library_id}"


def registration_sort_prefix(pass_type_id: str) -> str:
    return f"REG#{pass_type_id}#"


def device_registration_key(device_library_id: str, pass_type_id: str, serial: str) -> Key:
    return {
        "PK": device_partition(device_library_id),
        "SK": registration_sort_prefix(pass_type_id) + serial,
    }


def pass_device_key(customer_id: str, offer_id: str, device_library_id: str) -> Key:
    return {"PK": pass_partition(customer_id, offer_id), "SK": DEVICE_SORT_PREFIX + device_library_id}


def serial_key(pass_type_id: str, serial: str) -> Key:
    """Which pass an Apple serial number is: the web service is addressed by serial, the table by ids."""
    return {"PK": f"APPLESERIAL#{pass_type_id}#{serial}", "SK": "APPLESERIAL"}
