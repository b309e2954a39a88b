-- wrk script: each request upserts one new user (POST /api/v2/users) with a unique ID, and
-- done() prints the summary as one JSON line. The server token comes from the environment
-- variable BENCH_SERVER_TOKEN.
local thread_count = 0
local threads = {}

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_index", thread_count)
  table.insert(threads, thread)
end

local counter = 0

function init(args)
  wrk.method = "POST"
  wrk.headers["Authorization"] = os.getenv("BENCH_SERVER_TOKEN")
  wrk.headers["stream-auth-type"] = "jwt"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local id = string.format("load-%d-%d", thread_index, counter)
  local body = string.format('{"users":{"%s":{"id":"%s","name":"Load Test"}}}', id, id)
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
end
