from hypothesis import given
from hypothesis import strategies as st

from loyalty.domain.privacy import mask_email


def test_masks_the_readable_parts() -> None:
    assert mask_email("jane.doe@example.com") == "j***@e***.com"


@given(st.emails())
def test_a_masked_email_never_contains_the_address(email: str) -> None:
    local = email.split("@", 1)[0]
    masked = mask_email(email)
    assert email not in masked
    if len(local) > 2:
        assert local not in masked
