"""The business, its branches and its people, on in-memory ports: who may become what, the last owner, and that a
failure between the table and the directory leaves nothing half-made and a retry finishes the job."""

from __future__ import annotations

import pytest

from loyalty.app.staff import accounts as staff
from loyalty.app.staff.commands import AddBranch, BranchChanges, CreateBusiness, InvitePerson, PersonChanges
from loyalty.domain.business import (
    AlreadyInBusiness,
    BranchNotFound,
    BranchStatus,
    LastOwner,
    PersonExists,
    StaffRole,
)
from loyalty.domain.errors import ValidationFailed
from tests.support.staff_fakes import DirectoryDown, InMemoryBusinessRecords, InMemoryDirectory


def clock() -> str:
    return "2027-03-01T09:00:00Z"


@pytest.fixture
def records() -> InMemoryBusinessRecords:
    return InMemoryBusinessRecords()


@pytest.fixture
def directory() -> InMemoryDirectory:
    return InMemoryDirectory()


def new_business(
    records: InMemoryBusinessRecords, directory: InMemoryDirectory, email: str = "owner@example.com"
) -> tuple[str, str]:
    user_id = directory.sign_up(email)
    created = staff.create_business(
        records,
        directory,
        clock,
        CreateBusiness(
            user_id=user_id,
            email=email,
            token_business_id=None,
            name="Bean There",
            name_ar=None,
            timezone="UTC",
            default_language="en",
        ),
    )
    return user_id, created.business_id


def test_the_creator_becomes_the_owner_and_their_account_names_the_business(
    records: InMemoryBusinessRecords, directory: InMemoryDirectory
) -> None:
    user_id, business_id = new_business(records, directory)
    assert directory.accounts[user_id].business_id == business_id
    assert directory.accounts[user_id].role == "owner"
    assert [p.role for p in records.people(business_id)] == [StaffRole.OWNER]


def test_a_caller_whose_token_names_a_business_cannot_create_another(
    records: InMemoryBusinessRecords, directory: InMemoryDirectory
) -> None:
    with pytest.raises(AlreadyInBusiness):
        staff.create_business(
            records,
            directory,
            clock,
            CreateBusiness(
                user_id="u",
                email=None,
                token_business_id="biz_elsewhere00",
                name="Two",
                name_ar=None,
                timezone="UTC",
                default_language="en",
            ),
        )
    assert records.businesses == {}


def test_a_creation_that_failed_at_the_directory_is_finished_by_its_retry(
    records: InMemoryBusinessRecords, directory: InMemoryDirectory
) -> None:
    user_id = directory.sign_up("owner@example.com")
    directory.fail_next.add("place")
    command = CreateBusiness(user_id, "owner@example.com", None, "Bean There")
    with pytest.raises(DirectoryDown):
        staff.create_business(records, directory, clock, command)
    # The business and its owner are stored; the account does not name it yet, so it names no business at all.
    assert directory.accounts[user_id].business_id is None
    retried = staff.create_business(records, directory, clock, command)
    assert len(records.businesses) == 1
    assert directory.accounts[user_id].business_id == retried.business_id


def test_a_manager_needs_an_active_branch_of_the_business(
    records: InMemoryBusinessRecords, directory: InMemoryDirectory
) -> None:
    _, business_id = new_business(records, directory)
    _, other_business = new_business(records, directory, "other@example.com")
    theirs = staff.add_branch(records, other_business, AddBranch("Theirs")).branch_id
    with pytest.raises(ValidationFailed):
        staff.invite_person(
            records, directory, clock, business_id, InvitePerson("m@example.com", StaffRole.MANAGER, None)
        )
    with pytest.raises(BranchNotFound):
        staff.invite_person(
            records, directory, clock, business_id, InvitePerson("m@example.com", StaffRole.MANAGER, theirs)
        )
    mine = staff.add_branch(records, business_id, AddBranch("Mine")).branch_id
    staff.edit_branch(records, business_id, mine, BranchChanges(status=BranchStatus.ARCHIVED))
    with pytest.raises(BranchNotFound):
        staff.invite_person(
            records, directory, clock, business_id, InvitePerson("m@example.com", StaffRole.MANAGER, mine)
        )
    assert directory.invitations_mailed == []


def test_the_same_invitation_twice_is_refused_and_mails_once(
    records: InMemoryBusinessRecords, directory: InMemoryDirectory
) -> None:
    _, business_id = new_business(records, directory)
    branch = staff.add_branch(records, business_id, AddBranch("Olaya")).branch_id
    staff.invite_person(
        records, directory, clock, business_id, InvitePerson("m@example.com", StaffRole.MANAGER, branch)
    )
    with pytest.raises(PersonExists):
        staff.invite_person(
            records, directory, clock, business_id, InvitePerson("M@Example.com ", StaffRole.MANAGER, branch)
        )
    assert directory.invitations_mailed == ["m@example.com"]


def test_an_invitation_that_failed_after_the_account_was_made_is_finished_by_its_retry(
    records: InMemoryBusinessRecords, directory: InMemoryDirectory
) -> None:
    _, business_id = new_business(records, directory)
    directory.fail_next.add("invite-after-create")
    with pytest.raises(DirectoryDown):
        staff.invite_person(
            records, directory, clock, business_id, InvitePerson("co@example.com", StaffRole.OWNER, None)
        )
    person = staff.invite_person(
        records, directory, clock, business_id, InvitePerson("co@example.com", StaffRole.OWNER, None)
    )
    assert [p.user_id for p in records.people(business_id) if p.email == "co@example.com"] == [person.user_id]
    assert records.owners[business_id] == 2


def test_an_email_with_an_account_of_another_business_is_refused(
    records: InMemoryBusinessRecords, directory: InMemoryDirectory
) -> None:
    _, business_id = new_business(records, directory)
    new_business(records, directory, "taken@example.com")
    with pytest.raises(PersonExists):
        staff.invite_person(
            records, directory, clock, business_id, InvitePerson("taken@example.com", StaffRole.OWNER, None)
        )


def test_the_last_owner_stays_and_a_removed_person_keeps_no_email(
    records: InMemoryBusinessRecords, directory: InMemoryDirectory
) -> None:
    owner, business_id = new_business(records, directory)
    with pytest.raises(LastOwner):
        staff.remove_person(records, directory, business_id, owner)
    branch = staff.add_branch(records, business_id, AddBranch("Olaya")).branch_id
    with pytest.raises(LastOwner):
        staff.change_person(records, directory, business_id, owner, PersonChanges(StaffRole.MANAGER, branch))
    co = staff.invite_person(
        records, directory, clock, business_id, InvitePerson("co@example.com", StaffRole.OWNER, None)
    )
    staff.remove_person(records, directory, business_id, owner)
    gone = records.person(business_id, owner)
    assert gone is not None and gone.email is None and gone.status.value == "REMOVED"
    assert owner not in directory.accounts
    with pytest.raises(LastOwner):
        staff.remove_person(records, directory, business_id, co.user_id)


def test_a_removal_that_failed_at_the_directory_is_finished_by_its_retry(
    records: InMemoryBusinessRecords, directory: InMemoryDirectory
) -> None:
    _, business_id = new_business(records, directory)
    branch = staff.add_branch(records, business_id, AddBranch("Olaya")).branch_id
    person = staff.invite_person(
        records, directory, clock, business_id, InvitePerson("m@example.com", StaffRole.MANAGER, branch)
    )
    directory.fail_next.add("remove")
    with pytest.raises(DirectoryDown):
        staff.remove_person(records, directory, business_id, person.user_id)
    staff.remove_person(records, directory, business_id, person.user_id)
    assert person.user_id not in directory.accounts


def test_an_invited_person_becomes_active_once_their_first_sign_in_set_a_password(
    records: InMemoryBusinessRecords, directory: InMemoryDirectory
) -> None:
    _, business_id = new_business(records, directory)
    person = staff.invite_person(
        records, directory, clock, business_id, InvitePerson("co@example.com", StaffRole.OWNER, None)
    )
    statuses = {p.user_id: p.status.value for p in staff.list_staff(records, directory, business_id)}
    assert statuses[person.user_id] == "INVITED"
    directory.accounts[person.user_id].confirmed = True
    statuses = {p.user_id: p.status.value for p in staff.list_staff(records, directory, business_id)}
    assert statuses[person.user_id] == "ACTIVE"
