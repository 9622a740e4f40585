-- wrk (4.1, LuaJIT) script for tests/load/load.py --driver wrk: each wrk
-- thread keeps ONE connection (load.py runs wrk with -t N -c N) and sends
-- the requests of its own pre-generated list, so no search repeats and an
-- enrolment and its cancellation stay in order on one connection. With one
-- connection per thread the answers arrive in request order, so response()
-- knows which kind it answers and times it (CLOCK_MONOTONIC through the FFI;
-- wrk's own latency has no kinds). done() writes every sample to a file for
-- load.py to summarise.
--
-- A list line: kind TAB method TAB path TAB headers TAB body, headers as
-- "Name: value" joined by ASCII unit separators (0x1f). Lists and the
-- samples file are named by the environment: KPO_WRK_LISTS (a prefix; thread
-- i reads PREFIX.i) and KPO_WRK_SAMPLES.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } kpo_timespec;
  int clock_gettime(int clk_id, kpo_timespec *tp);
]]
local now_ts = ffi.new("kpo_timespec")
local function now_us()
  ffi.C.clock_gettime(1, now_ts) -- CLOCK_MONOTONIC
  return tonumber(now_ts.tv_sec) * 1000000 + tonumber(now_ts.tv_nsec) / 1000
end

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local requests = {}
local kinds = {}
local position = 0
local sent_kind, sent_at
samples = {} -- "kind status microseconds", read by done()

local function split(s, sep)
  local out = {}
  for part in (s .. sep):gmatch("(.-)" .. sep) do table.insert(out, part) end
  return out
end

function init(args)
  local file = assert(io.open(os.getenv("KPO_WRK_LISTS") .. "." .. id, "r"))
  for line in file:lines() do
    local f = split(line, "\t")
    local headers = {}
    if f[4] ~= "" then
      for _, h in ipairs(split(f[4], "\31")) do
        local name, value = h:match("^([^:]+): (.*)$")
        headers[name] = value
      end
    end
    if f[5] ~= "" then headers["Content-Type"] = "application/json" end
    table.insert(kinds, f[1])
    table.insert(requests, wrk.format(f[2], f[3], headers, f[5] ~= "" and f[5] or nil))
  end
  file:close()
end

function request()
  position = position % #requests + 1
  sent_kind = kinds[position]
  sent_at = now_us()
  return requests[position]
end

function response(status, headers, body)
  table.insert(samples, sent_kind .. " " .. status .. " " .. math.floor(now_us() - sent_at))
end

function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("KPO_WRK_SAMPLES"), "w"))
  for _, thread in ipairs(threads) do
    local kept = thread:get("samples")
    for _, line in ipairs(kept) do out:write(line, "\n") end
  end
  out:close()
end
