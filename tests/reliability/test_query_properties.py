"""Property tests of `filter_conditions` through the running sandbox.

hypothesis generates filters over the fields and operators Stream documents. The tests check
laws that hold whatever the semantics of a single condition. Wrapping a filter in `$and` or
`$or` keeps its result, and `$nor` returns exactly the other users. `$and` and `$or` of two
filters return the intersection and the union of their results. A filter the sandbox rejects
must get a 400 with code 4 however it is wrapped, never a 5xx.

The sandbox reads only the rows of the ids a top-level `id` condition names, so these laws
also compare that shortcut with the full scan used for nested filters.
"""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox_process import Sandbox
from stream_api import Client

MAX_EXAMPLES = int(os.environ.get("RELIABILITY_QUERY_EXAMPLES", "150"))

USERS = [
    {"id": "ann", "name": "Ann Lee", "role": "admin", "teams": ["red"],
     "custom": {"score": 10, "color": "red", "tags": ["a", "b"], "vip": True}},
    {"id": "bob", "name": "Bob", "role": "user", "teams": ["blue", "red"],
     "custom": {"score": 5.5, "color": "blue"}},
    {"id": "cy", "name": "Cy Annabel", "role": "moderator", "teams": [],
     "custom": {"score": -3, "tags": ["b"], "vip": False}},
    {"id": "dee", "name": "dee", "role": "user", "teams": ["green"],
     "custom": {"color": "red", "score": 10}},
    {"id": "eve", "name": "Eve Ann", "role": "guest", "teams": ["blue"], "custom": {}},
    {"id": "fay", "role": "user", "teams": ["red", "green"],
     "custom": {"score": 0, "color": "", "tags": []}},
    {"id": "gus", "name": "Gus", "role": "admin", "teams": ["blue"],
     "custom": {"score": 1e3, "color": "green", "vip": True}},
    {"id": "hal", "name": "Hal 9000", "role": "user", "teams": [],
     "custom": {"score": "10", "color": "Red"}},
]
ALL_IDS = {user["id"] for user in USERS}

FIELDS = ["id", "name", "role", "teams", "score", "color", "tags", "vip", "missing"]
OPERATORS = ["$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte", "$exists",
             "$autocomplete", "$contains"]
SCALARS = st.one_of(
    st.sampled_from(sorted(ALL_IDS)),
    st.sampled_from(["Ann", "ann", "red", "blue", "green", "Red", "", "a", "b", "admin",
                     "user", "guest", "moderator", "10", "Ann Lee", "Bo"]),
    st.sampled_from([0, 1, 5.5, 10, -3, 1000, 1e3, 10.0]),
    st.booleans(),
)
OPERANDS = st.one_of(SCALARS, st.lists(SCALARS, min_size=0, max_size=4))


def condition():
    operator_form = st.builds(
        lambda field, operator, operand: {field: {operator: operand}},
        st.sampled_from(FIELDS), st.sampled_from(OPERATORS), OPERANDS,
    )
    plain_form = st.builds(lambda field, value: {field: value}, st.sampled_from(FIELDS), SCALARS)
    return st.one_of(operator_form, plain_form)


def extend(children):
    logical = st.builds(
        lambda operator, parts: {operator: parts},
        st.sampled_from(["$and", "$or", "$nor"]),
        st.lists(children, min_size=1, max_size=3),
    )
    merged = st.builds(lambda a, b: {**a, **b}, children, children)
    return st.one_of(logical, merged)


FILTERS = st.recursive(condition(), extend, max_leaves=6)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    sandbox = Sandbox(
        tmp_path_factory.mktemp("query"), extra_args=["--rate-limit", "100000000"]
    ).start()
    api = Client(sandbox.base_url)
    response = api.upsert_users(USERS)
    assert response.status == 201, response.describe()
    yield api
    api.close()
    sandbox.stop()
    sandbox.assert_no_panic()


def run_query(client, filters):
    """Return the set of matching ids, or None when the sandbox rejects the filter."""
    response = client.query_users({"filter_conditions": filters, "limit": 100})
    assert response.status < 500, f"{filters}: {response.describe()}"
    if response.status == 400:
        assert response.json()["code"] == 4, f"{filters}: {response.describe()}"
        return None
    assert response.status == 200, f"{filters}: {response.describe()}"
    return {user["id"] for user in response.json()["users"]}


PROPERTY_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY_SETTINGS
@given(filters=FILTERS)
def test_wrapping_keeps_result(client, filters):
    found = run_query(client, filters)

    assert run_query(client, {"$and": [filters]}) == found, filters
    assert run_query(client, {"$or": [filters]}) == found, filters


@PROPERTY_SETTINGS
@given(filters=FILTERS)
def test_nor_is_complement(client, filters):
    found = run_query(client, filters)
    rest = run_query(client, {"$nor": [filters]})

    if found is None:
        assert rest is None, filters
    else:
        assert rest == ALL_IDS - found, filters


@PROPERTY_SETTINGS
@given(first=FILTERS, second=FILTERS)
def test_and_or_are_intersection_union(client, first, second):
    left = run_query(client, first)
    right = run_query(client, second)
    both = run_query(client, {"$and": [first, second]})
    either = run_query(client, {"$or": [first, second]})

    if left is None or right is None:
        assert both is None, (first, second)
        assert either is None, (first, second)
        return
    assert both == left & right, (first, second)
    assert either == left | right, (first, second)
