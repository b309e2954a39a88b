"""Inputs that once made the sandbox send a response that violates Stream's response schemas.

schemathesis found each of these. The sandbox may reject such an input (400 with code 4) or
accept it, but what it sends back must match the schema of the operation's response.
"""

import pytest

from response_schemas import violations

# privacy_settings.* objects require `enabled` in the OpenAPI document (UserRequest refers
# to PrivacySettingsResponse, whose three members each require it).
PRIVACY_WITHOUT_ENABLED = [
    {"delivery_receipts": {}},
    {"read_receipts": {"other": 1}},
    {"typing_indicators": {}},
]


def check_response(response, schema_name):
    if response.status >= 400:
        assert response.status < 500, response.describe()
        assert response.json()["code"] == 4, response.describe()
        return
    assert violations(schema_name, response.json()) == [], response.describe()


@pytest.fixture
def client(start_sandbox, client_for):
    return client_for(start_sandbox())


@pytest.mark.parametrize("privacy", PRIVACY_WITHOUT_ENABLED)
def test_guest_privacy_without_enabled(client, privacy):
    user = {"id": "guest-privacy", "privacy_settings": privacy}
    response = client.call("POST", "/api/v2/guest", {"user": user})

    check_response(response, "CreateGuestResponse")


@pytest.mark.parametrize("privacy", PRIVACY_WITHOUT_ENABLED)
def test_upsert_privacy_without_enabled(client, privacy):
    response = client.upsert_users([{"id": "upsert-privacy", "privacy_settings": privacy}])
    check_response(response, "UpdateUsersResponse")

    stored = client.query_users({"filter_conditions": {"id": "upsert-privacy"}})
    check_response(stored, "QueryUsersResponse")


@pytest.mark.parametrize("privacy", PRIVACY_WITHOUT_ENABLED)
def test_partial_update_privacy_without_enabled(client, privacy):
    response = client.upsert_users([{"id": "partial-privacy"}])
    assert response.status == 201, response.describe()

    update = {"id": "partial-privacy", "set": {"privacy_settings": privacy}}
    response = client.update_users_partial([update])
    check_response(response, "UpdateUsersResponse")

    stored = client.call("GET", "/api/v2/users/partial-privacy/export")
    check_response(stored, "ExportUserResponse")
