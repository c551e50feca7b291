-- wrk script of bench/purge_readers.py: members reading BENCH_PATHS (comma-separated) in
-- turn, with the same Cookie and Accept-Language on every request; every answer other
-- than 200 counted; one JSON line at the end with the slowest read (latency.max).

local cookie = os.getenv("BENCH_COOKIE") or ""
local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "/", "[^,]+") do
  table.insert(paths, path)
end
wrk.headers["Accept-Language"] = os.getenv("BENCH_LANGUAGE") or "en"
if cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  turn = 0
end

function request()
  turn = turn + 1
  return wrk.format(nil, paths[(turn % #paths) + 1])
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local total_not_ok = 0
  for _, thread in ipairs(threads) do
    total_not_ok = total_not_ok + thread:get("not_ok")
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "max_us": %d, "p99_us": %.0f, '
      .. '"mean_us": %.0f, "not_ok": %d, "connect": %d, "read": %d, "write": %d, '
      .. '"timeout": %d}\n',
    summary.requests, summary.duration, latency.max, latency:percentile(99.0), latency.mean,
    total_not_ok, errors.connect, errors.read, errors.write, errors.timeout
  ))
end
