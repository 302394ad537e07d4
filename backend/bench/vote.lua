-- wrk script: POST a vote with a fresh Idempotency-Key per request, so every request is a real new vote.
wrk.method = "POST"
wrk.body = '{"option":"Go"}'
wrk.headers["Content-Type"] = "application/json"
local n = 0
local prefix = tostring(os.time()) .. "-" .. tostring(math.random(1, 1e9)) .. "-"
request = function()
  n = n + 1
  wrk.headers["Idempotency-Key"] = prefix .. n
  return wrk.format(nil, nil, nil, nil)
end
