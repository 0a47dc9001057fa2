-- wrk script: counts every answer that is not 200 OK. wrk itself reports only 4xx and 5xx, so a
-- redirect (an expired session sends the login page's 302) would pass for a measured page.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("not_ok")
  end
  local errors = summary.errors
  io.write(string.format("responses_not_200: %d\n", total))
  io.write(string.format("socket_errors: %d\n",
    errors.connect + errors.read + errors.write + errors.timeout))
end
