-- wrk script for benchmarks/intake.py: POST /api/v1/orders with random multi-line orders.
--
-- wrk ... -s benchmarks/intake.lua http://127.0.0.1:PORT -- <skus> <lines> <tag>
-- The API key comes from the environment (PODIUM_BENCH_KEY), not the command line.
-- Every request has a unique external_id: <tag>-<thread>-<counter>-<random>.
-- done() prints machine-readable lines starting with "PODIUM_BENCH" that intake.py parses.

local threads = {}
local next_tid = 0

function setup(thread)
   next_tid = next_tid + 1
   thread:set("tid", next_tid)
   table.insert(threads, thread)
end

-- Per-thread state (globals so that done() can read them with thread:get).
created = 0   -- 201: a new order
replayed = 0  -- other 2xx (200 = idempotent replay; should stay 0)
non2xx = 0
codes = {}
first_error = ""

local skus = 500
local nlines = 3
local tag = "run"
local counter = 0

local places = {
   {"New York", "NY", "10001"},
   {"Boston", "MA", "02108"},
   {"Philadelphia", "PA", "19103"},
   {"Atlanta", "GA", "30303"},
   {"Miami", "FL", "33101"},
   {"Chicago", "IL", "60601"},
   {"Houston", "TX", "77002"},
   {"Denver", "CO", "80202"},
   {"Phoenix", "AZ", "85004"},
   {"Los Angeles", "CA", "90012"},
   {"San Francisco", "CA", "94103"},
   {"Seattle", "WA", "98101"},
}

function init(args)
   skus = tonumber(args[1]) or skus
   nlines = tonumber(args[2]) or nlines
   tag = args[3] or tag
   math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. (os.getenv("PODIUM_BENCH_KEY") or "")
end

function request()
   counter = counter + 1
   local used = {}
   local parts = {}
   for i = 1, nlines do
      local n = math.random(1, skus)
      if skus >= nlines then
         while used[n] do
            n = math.random(1, skus)
         end
      end
      used[n] = true
      parts[i] = string.format(
         '{"sku":"SKU-%04d","quantity":%d,"unit_price":"%d.99"}',
         n, math.random(1, 3), math.random(5, 99))
   end
   local p = places[math.random(#places)]
   local body = string.format(
      '{"channel":"web","external_id":"%s-%d-%d-%d","currency":"USD",' ..
      '"customer":{"email":"b@example.com","name":"Bench"},' ..
      '"shipping_address":{"line1":"1 Main St","city":"%s","region":"%s",' ..
      '"postal_code":"%s","country":"US"},"lines":[%s]}',
      tag, tid or 0, counter, math.random(1, 1000000000),
      p[1], p[2], p[3], table.concat(parts, ","))
   return wrk.format(nil, "/api/v1/orders", nil, body)
end

function response(status, headers, body)
   if status == 201 then
      created = created + 1
   elseif status >= 200 and status < 300 then
      replayed = replayed + 1
   else
      non2xx = non2xx + 1
      codes[status] = (codes[status] or 0) + 1
      if first_error == "" then
         first_error = status .. " " .. string.sub(body or "", 1, 300)
      end
   end
end

local function emit(key, value)
   io.write("PODIUM_BENCH ", key, " ", tostring(value), "\n")
end

function done(summary, latency, requests)
   local c, r, n, err = 0, 0, 0, ""
   local all_codes = {}
   for _, thread in ipairs(threads) do
      c = c + (thread:get("created") or 0)
      r = r + (thread:get("replayed") or 0)
      n = n + (thread:get("non2xx") or 0)
      for code, count in pairs(thread:get("codes") or {}) do
         all_codes[code] = (all_codes[code] or 0) + count
      end
      local e = thread:get("first_error") or ""
      if err == "" and e ~= "" then
         err = e
      end
   end
   emit("requests", summary.requests)
   emit("duration_us", summary.duration)
   emit("bytes", summary.bytes)
   emit("created", c)
   emit("replayed", r)
   emit("non2xx", n)
   for code, count in pairs(all_codes) do
      emit("status_" .. code, count)
   end
   emit("errors_connect", summary.errors.connect)
   emit("errors_read", summary.errors.read)
   emit("errors_write", summary.errors.write)
   emit("errors_status", summary.errors.status)
   emit("errors_timeout", summary.errors.timeout)
   emit("latency_mean_us", latency.mean)
   emit("latency_stdev_us", latency.stdev)
   emit("latency_min_us", latency.min)
   emit("latency_max_us", latency.max)
   for _, p in ipairs({50, 75, 90, 95, 99, 99.9}) do
      emit("latency_p" .. p .. "_us", latency:percentile(p))
   end
   emit("first_error", (string.gsub(err, "[\r\n]", " ")))
end
