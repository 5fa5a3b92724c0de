import types
import pytest
from mamori.tenancy.models import Role
from tests.factories import MembershipFactory
from tests.test_cross_org import populate
from tests.test_page_walker import test_every_page_for_every_role_on_the_demo_organization as test_walk  # noqa

@pytest.fixture
def demo(tenancy):
    populate(tenancy)
    users = {r: MembershipFactory(organization=tenancy.org, role=r).user for r in [Role.ADMIN, Role.EDITOR, Role.VIEWER, Role.AUDITOR]}
    users[Role.OWNER] = tenancy.owner
    return types.SimpleNamespace(org=tenancy.org, users=users)
from tests.test_hostile_text import test_hostile_text_in_every_field_is_escaped_on_every_page as test_hostile  # noqa
