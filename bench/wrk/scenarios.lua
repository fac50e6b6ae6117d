-- wrk script for bench/wrk-sweep: sends one scenario's requests, rotating among logged-in sessions.
--
--   wrk -t2 -c64 -d8s -s bench/wrk/scenarios.lua http://127.0.0.1:PORT -- <scenario> <sessions file> <threads> [variant]
--
-- scenario: reads (GET /demo/me), writes (PUT /demo/attributes/<name>), counter (POST /demo/counter),
--           logins (POST /demo/login; the answer's new session id replaces the slot's cookie),
--           api-reads (GET /api/me), api-reactive (GET /api/reactive/me, a non-blocking endpoint) and api-count
--           (POST /api/counter): the same through the quarkus-rest door; for the variant inmemory, which has no
--           quarkus-rest session, the servlet's (the in-memory limit).
-- sessions file: one "<tenant> <cookie> <user id>" line per logged-in user (bench/wrk-sweep writes it).
-- Each wrk thread takes every <threads>-th session, so two threads never rotate the same session's id.
-- done() prints one "WRK_RESULT key=value ..." line that bench/wrk-sweep parses (latencies in microseconds).

local thread_count = 0

function setup(thread)
   thread:set("thread_index", thread_count)
   thread_count = thread_count + 1
end

-- A few attribute names, so writes change existing attributes and the session's size stays bounded.
local ATTRIBUTE_NAMES = { "cart", "prefs", "draft", "filter" }
local ATTRIBUTE_BODY = '{"items":[1,2,3],"note":"bench","n":42}'

local slots = {}     -- this thread's sessions: { tenant, cookie, user }
local slot_of = {}   -- user id -> slot index (logins: the answer names the user)
local next_slot = 0
local build         -- scenario's request builder: function(slot, n) -> request string
local api = "/api/" -- where the api-* scenarios go: "/demo/" for the in-memory variant
local cached = {}   -- pre-built requests of scenarios whose requests never change

local function headers(slot, with_json)
   local h = { ["Cookie"] = slot.cookie, ["X-Tenant-Id"] = slot.tenant }
   if with_json then
      h["Content-Type"] = "application/json"
   end
   return h
end

local builders = {
   reads = function(slot)
      return wrk.format("GET", "/demo/me", headers(slot, false))
   end,
   writes = function(slot, n)
      local name = ATTRIBUTE_NAMES[n % #ATTRIBUTE_NAMES + 1]
      return wrk.format("PUT", "/demo/attributes/" .. name, headers(slot, true), ATTRIBUTE_BODY)
   end,
   counter = function(slot)
      return wrk.format("POST", "/demo/counter", headers(slot, false), "")
   end,
   ["api-reads"] = function(slot)
      return wrk.format("GET", api .. "me", headers(slot, false))
   end,
   ["api-reactive"] = function(slot)
      return wrk.format("GET", api == "/api/" and "/api/reactive/me" or "/demo/me", headers(slot, false))
   end,
   ["api-count"] = function(slot)
      return wrk.format("POST", api .. "counter", headers(slot, false), "")
   end,
   logins = function(slot)
      local body = string.format('{"user_id":"%s","email":"%s@example.com","name":"Bench %s","roles":["user"]}',
         slot.user, slot.user, slot.user)
      return wrk.format("POST", "/demo/login", headers(slot, true), body)
   end,
}

function init(args)
   local scenario, file, threads = args[1], args[2], tonumber(args[3])
   if args[4] == "inmemory" then
      api = "/demo/"
   end
   build = builders[scenario]
   if not build or not file or not threads then
      error("usage: -- <reads|writes|counter|logins|api-reads|api-reactive|api-count> <sessions file> <threads> [variant]; got: " .. table.concat(args, " "))
   end
   local line_number = 0
   for line in io.lines(file) do
      if line_number % threads == thread_index then
         local tenant, cookie, user = line:match("^(%S+) (%S+) (%S+)$")
         if not tenant then
            error("bad line " .. (line_number + 1) .. " in " .. file .. ": " .. line)
         end
         slots[#slots + 1] = { tenant = tenant, cookie = cookie, user = user }
         slot_of[user] = #slots
      end
      line_number = line_number + 1
   end
   if #slots == 0 then
      error("no sessions for thread " .. thread_index .. " in " .. file)
   end
   if scenario ~= "logins" then
      -- wrk then skips parsing headers and bodies: only the login needs the answer.
      response = nil
      for i, slot in ipairs(slots) do
         for k = 0, #ATTRIBUTE_NAMES - 1 do
            cached[i * #ATTRIBUTE_NAMES + k] = build(slot, k)
         end
      end
      build = nil
   end
end

function request()
   local i = next_slot % #slots + 1
   local n = math.floor(next_slot / #slots)
   next_slot = next_slot + 1
   if build then
      return build(slots[i], n)
   end
   return cached[i * #ATTRIBUTE_NAMES + n % #ATTRIBUTE_NAMES]
end

-- Logins only: a login rotates the session id, so the slot must send the new cookie next time.
function response(status, response_headers, body)
   if status ~= 200 then
      return
   end
   local cookie = response_headers["Set-Cookie"] or response_headers["set-cookie"]
   local user = body and body:match('"user_id":"([^"]+)"')
   local i = user and slot_of[user]
   if cookie and i then
      slots[i].cookie = cookie:match("^([^;]+)")
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "WRK_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d status_errors=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
      e.status, e.connect, e.read, e.write, e.timeout))
end
