#!/usr/bin/env bash
# Runs the cURL requests of Stream's REST docs (upsert, partial update, deactivate, reactivate,
# delete, restore, get task) with real curl against a fresh sandbox, authorized by a server token
# made with bash and openssl as the docs show. Checks statuses and key fields with jq.
#
# Usage: tests/conformance/curl-docs.sh [SANDBOX_BINARY]   (default target/debug/stream-sandbox)
set -euo pipefail

SANDBOX_BIN=${1:-target/debug/stream-sandbox}
API_KEY=curl-docs-key
API_SECRET=curl-docs-secret

for tool in curl jq openssl; do
	if ! command -v "$tool" >/dev/null; then
		echo "curl-docs: $tool is not installed" >&2
		exit 1
	fi
done
if [[ ! -x $SANDBOX_BIN ]]; then
	echo "curl-docs: sandbox binary $SANDBOX_BIN is missing: run cargo build -p stream-sandbox" >&2
	exit 1
fi

WORK=$(mktemp -d)
SANDBOX_PID=
cleanup() {
	if [[ -n $SANDBOX_PID ]]; then
		kill "$SANDBOX_PID" 2>/dev/null || true
		wait "$SANDBOX_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT

# Start the sandbox and read the base URL from its first stdout line.
"$SANDBOX_BIN" --port 0 --db :memory: --task-delay-ms 50 \
	--api-key "$API_KEY" --api-secret "$API_SECRET" >"$WORK/stdout" 2>"$WORK/stderr" &
SANDBOX_PID=$!
first_line=
while [[ -z $first_line ]]; do
	if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then
		echo "curl-docs: the sandbox exited before printing its URL:" >&2
		cat "$WORK/stderr" >&2
		exit 1
	fi
	if [[ $(wc -l <"$WORK/stdout") -ge 1 ]]; then
		first_line=$(head -n 1 "$WORK/stdout")
	else
		sleep 0.05
	fi
done
if [[ ! $first_line =~ listening\ on\ (http://[^[:space:]]+) ]]; then
	echo "curl-docs: unexpected first sandbox line: $first_line" >&2
	exit 1
fi
BASE_URL=${BASH_REMATCH[1]}
echo "curl-docs: sandbox at $BASE_URL"

# Server token, as in the docs: base64url(header).base64url({"server":true}), then an
# HMAC-SHA256 signature of both with the API secret, base64url encoded.
base64url() {
	openssl base64 -e -A | tr '+/' '-_' | tr -d '='
}
make_server_token() {
	local secret=$1 header payload signature
	header=$(printf '%s' '{"alg":"HS256","typ":"JWT"}' | base64url)
	payload=$(printf '%s' '{"server":true}' | base64url)
	signature=$(printf '%s' "${header}.${payload}" |
		openssl dgst -sha256 -hmac "$secret" -binary | base64url)
	printf '%s.%s.%s' "$header" "$payload" "$signature"
}
TOKEN=$(make_server_token "$API_SECRET")

FAILURES=0
RESPONSES=0
STEP=
BODY=$WORK/body.json

step() {
	STEP=$1
	echo "curl-docs: $STEP"
}

# Every request prints "STATUS METHOD URL" with this curl --write-out format.
REPLY_FORMAT='%{http_code} %{method} %{url_effective}'

# expect_status WANT REPLY: compare the status in curl's REPLY with the expected one, and keep
# the body for the OpenAPI validation at the end.
expect_status() {
	local status method url
	read -r status method url <<<"$2"
	if [[ $status != "$1" ]]; then
		echo "  FAIL $STEP: $method $url returned status $status, expected $1: $(cat "$BODY")" >&2
		FAILURES=$((FAILURES + 1))
	fi
	RESPONSES=$((RESPONSES + 1))
	cp "$BODY" "$WORK/response-$RESPONSES.json"
	jq -cn --arg method "$method" --arg url "$url" --argjson status "$status" \
		--arg file "$WORK/response-$RESPONSES.json" \
		'{method: $method, path: ($url | sub("^[a-z]+://[^/]+"; "") | sub("[?].*$"; "")),
		  status: $status, file: $file}' >>"$WORK/responses.jsonl"
}

# expect FILTER: the jq filter must print true for the last response body.
expect() {
	if ! jq -e "$1" "$BODY" >/dev/null 2>&1; then
		echo "  FAIL $STEP: $1 is not true for $(cat "$BODY")" >&2
		FAILURES=$((FAILURES + 1))
	fi
}

# wait_for_task TASK_ID: poll the docs' get-task request until the task completes or fails.
# The poll count only bounds a task that never finishes; the sandbox runs with a 50 ms delay.
wait_for_task() {
	local task_id=$1 status=pending polls=0
	while [[ $status == pending || $status == running ]]; do
		if ((polls >= 1500)); then
			echo "  FAIL $STEP: task $task_id still $status after $polls polls" >&2
			FAILURES=$((FAILURES + 1))
			return
		fi
		sleep 0.02
		reply=$(curl -sS -o "$BODY" -w "$REPLY_FORMAT" \
			-X GET "${BASE_URL}/api/v2/tasks/${task_id}?api_key=${API_KEY}" \
			-H "Authorization: ${TOKEN}" \
			-H "stream-auth-type: jwt")
		expect_status 200 "$reply"
		expect ".task_id == \"$task_id\""
		status=$(jq -r '.status' "$BODY")
		polls=$((polls + 1))
	done
	expect '.status == "completed"'
	expect '(.created_at | type) == "string" and (.updated_at | type) == "string"'
}

# query_users FILTER_JSON: read users back through the query endpoint to check stored data.
query_users() {
	local payload
	payload=$(jq -rn --arg p "$1" '$p | @uri')
	reply=$(curl -sS -o "$BODY" -w "$REPLY_FORMAT" \
		-X GET "${BASE_URL}/api/v2/users?api_key=${API_KEY}&payload=${payload}" \
		-H "Authorization: ${TOKEN}" \
		-H "stream-auth-type: jwt")
	expect_status 200 "$reply"
}

step "upsert users"
reply=$(curl -sS -o "$BODY" -w "$REPLY_FORMAT" \
	-X POST "${BASE_URL}/api/v2/users?api_key=${API_KEY}" \
	-H "Authorization: ${TOKEN}" \
	-H "stream-auth-type: jwt" \
	-H "Content-Type: application/json" \
	-d '{
  "users": {
    "john": {
      "id": "john",
      "role": "user",
      "custom": {
        "color": "red"
      },
      "name": "John",
      "image": "link/to/profile/image"
    },
    "jane": {
      "id": "jane",
      "name": "Jane"
    },
    "jack": {
      "id": "jack",
      "name": "Jack"
    }
  }
}')
expect_status 201 "$reply"
expect '.users.john.id == "john" and .users.john.name == "John" and .users.john.role == "user"'
expect '.users.john.custom.color == "red" and .users.john.image == "link/to/profile/image"'
expect '(.users.john.created_at | type) == "string" and (.duration | type) == "string"'
expect '.users | keys == ["jack", "jane", "john"]'

step "partial update"
reply=$(curl -sS -o "$BODY" -w "$REPLY_FORMAT" \
	-X PATCH "${BASE_URL}/api/v2/users?api_key=${API_KEY}" \
	-H "Authorization: ${TOKEN}" \
	-H "stream-auth-type: jwt" \
	-H "Content-Type: application/json" \
	-d '{
  "users": [
    {
      "id": "john",
      "set": {
        "color": "blue"
      },
      "unset": ["name"]
    }
  ]
}')
expect_status 200 "$reply"
expect '.users.john.custom.color == "blue"'
expect '.users.john.name == null'
expect '.users.john.image == "link/to/profile/image"'

step "deactivate user"
reply=$(curl -sS -o "$BODY" -w "$REPLY_FORMAT" \
	-X POST "${BASE_URL}/api/v2/users/john/deactivate?api_key=${API_KEY}" \
	-H "Authorization: ${TOKEN}" \
	-H "stream-auth-type: jwt" \
	-H "Content-Type: application/json" \
	-d '{}')
expect_status 201 "$reply"
expect '.user.id == "john" and (.user.deactivated_at | type) == "string"'
query_users '{"filter_conditions":{"id":{"$eq":"john"}}}'
expect '.users == []'

step "reactivate user"
reply=$(curl -sS -o "$BODY" -w "$REPLY_FORMAT" \
	-X POST "${BASE_URL}/api/v2/users/john/reactivate?api_key=${API_KEY}" \
	-H "Authorization: ${TOKEN}" \
	-H "stream-auth-type: jwt" \
	-H "Content-Type: application/json" \
	-d '{}')
expect_status 201 "$reply"
expect '.user.id == "john" and .user.deactivated_at == null'
query_users '{"filter_conditions":{"id":{"$eq":"john"}}}'
expect '[.users[].id] == ["john"]'

step "deactivate users"
reply=$(curl -sS -o "$BODY" -w "$REPLY_FORMAT" \
	-X POST "${BASE_URL}/api/v2/users/deactivate?api_key=${API_KEY}" \
	-H "Authorization: ${TOKEN}" \
	-H "stream-auth-type: jwt" \
	-H "Content-Type: application/json" \
	-d '{
  "user_ids": ["jane", "jack"]
}')
expect_status 201 "$reply"
expect '(.task_id | type) == "string" and .task_id != ""'
wait_for_task "$(jq -r '.task_id' "$BODY")"
query_users '{"filter_conditions":{"id":{"$in":["jane","jack"]}},"include_deactivated_users":true}'
expect '(.users | length) == 2 and all(.users[]; (.deactivated_at | type) == "string")'

step "reactivate users"
reply=$(curl -sS -o "$BODY" -w "$REPLY_FORMAT" \
	-X POST "${BASE_URL}/api/v2/users/reactivate?api_key=${API_KEY}" \
	-H "Authorization: ${TOKEN}" \
	-H "stream-auth-type: jwt" \
	-H "Content-Type: application/json" \
	-d '{
  "user_ids": ["jane", "jack"]
}')
expect_status 201 "$reply"
expect '(.task_id | type) == "string" and .task_id != ""'
wait_for_task "$(jq -r '.task_id' "$BODY")"
query_users '{"filter_conditions":{"id":{"$in":["jane","jack"]}}}'
expect '(.users | length) == 2 and all(.users[]; .deactivated_at == null)'

step "delete users"
reply=$(curl -sS -o "$BODY" -w "$REPLY_FORMAT" \
	-X POST "${BASE_URL}/api/v2/users/delete?api_key=${API_KEY}" \
	-H "Authorization: ${TOKEN}" \
	-H "stream-auth-type: jwt" \
	-H "Content-Type: application/json" \
	-d '{
  "user_ids": ["jane"],
  "user": "soft",
  "messages": "soft",
  "conversations": "soft"
}')
expect_status 201 "$reply"
expect '(.task_id | type) == "string" and .task_id != ""'
DELETE_TASK=$(jq -r '.task_id' "$BODY")

step "get task"
wait_for_task "$DELETE_TASK"
expect '(.result | type) == "object"'
query_users '{"filter_conditions":{"id":{"$eq":"jane"}},"include_deactivated_users":true}'
expect '.users == []'

step "restore users"
reply=$(curl -sS -o "$BODY" -w "$REPLY_FORMAT" \
	-X POST "${BASE_URL}/api/v2/users/restore?api_key=${API_KEY}" \
	-H "Authorization: ${TOKEN}" \
	-H "stream-auth-type: jwt" \
	-H "Content-Type: application/json" \
	-d '{
  "user_ids": ["jane"]
}')
expect_status 201 "$reply"
expect '(.duration | type) == "string"'
query_users '{"filter_conditions":{"id":{"$eq":"jane"}}}'
expect '[.users[].id] == ["jane"] and .users[0].name == "Jane" and .users[0].deleted_at == null'

step "token signed with another secret"
FORGED=$(make_server_token "not-the-secret")
reply=$(curl -sS -o "$BODY" -w "$REPLY_FORMAT" \
	-X POST "${BASE_URL}/api/v2/users/restore?api_key=${API_KEY}" \
	-H "Authorization: ${FORGED}" \
	-H "stream-auth-type: jwt" \
	-H "Content-Type: application/json" \
	-d '{"user_ids": ["jane"]}')
expect_status 401 "$reply"
expect '.code == 43 and .StatusCode == 401 and (.message | type) == "string"'

step "unknown task"
reply=$(curl -sS -o "$BODY" -w "$REPLY_FORMAT" \
	-X GET "${BASE_URL}/api/v2/tasks/00000000-0000-0000-0000-000000000000?api_key=${API_KEY}" \
	-H "Authorization: ${TOKEN}" \
	-H "stream-auth-type: jwt")
expect_status 404 "$reply"
expect '.code == 16 and .StatusCode == 404'

# Validate every response body against the OpenAPI schema of its operation and status.
if ! node "$(dirname "$0")/support/validate-responses.mjs" "$WORK/responses.jsonl"; then
	FAILURES=$((FAILURES + 1))
fi

if ((FAILURES > 0)); then
	echo "curl-docs: $FAILURES check(s) failed" >&2
	exit 1
fi
echo "curl-docs: all checks passed"
