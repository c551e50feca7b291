-- wrk script of `make bench` (bench/load.py) and `make bench-purge` (bench/purge_readers.py):
-- the same headers on every request, every answer other than 200 counted, and one JSON line
-- at the end for them to read. BENCH_COOKIE: the signed-in session ("" for a visitor);
-- BENCH_LANGUAGE: Accept-Language; BENCH_PATHS (optional, comma-separated): paths read in
-- turn instead of the address wrk was given.

local cookie = os.getenv("BENCH_COOKIE") or ""
wrk.headers["Accept-Language"] = os.getenv("BENCH_LANGUAGE") or "en"
if cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "", "[^,]+") do
  table.insert(paths, path)
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  turn = 0
end

if #paths > 0 then
  function request()
    turn = turn + 1
    return wrk.format(nil, paths[(turn % #paths) + 1])
  end
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
