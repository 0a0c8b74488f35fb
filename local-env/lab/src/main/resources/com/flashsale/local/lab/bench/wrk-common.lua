-- What the benchmark's wrk scripts share: each thread's number, the answers they count, and the
-- one "BENCH key=value ..." line printed at the end, which GatewayLoad#result reads. A script
-- loads it first: dofile(os.getenv("BENCH_COMMON")).

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

tokens, accepted, refused, other = 0, 0, 0, 0

-- calls each_line with every line of BENCH_LINES that is this thread's: thread i of BENCH_THREADS
-- takes lines i, i + n, i + 2n, ...
function this_threads_lines(each_line)
    local step = tonumber(os.getenv("BENCH_THREADS"))
    local i = 0
    for line in io.lines(os.getenv("BENCH_LINES")) do
        if i % step == id then
            each_line(line)
        end
        i = i + 1
    end
end

-- a shopper's headers: its access token and its own client address
function shopper_headers(access_token, address)
    return { ["Authorization"] = "Bearer " .. access_token, ["X-Forwarded-For"] = address,
             ["Content-Type"] = "application/json" }
end

-- a buy's answer: 202 accepted, 409 refused (sold out, already bought), anything else an error
function count_buy(status)
    if status == 202 then
        accepted = accepted + 1
    elseif status == 409 then
        refused = refused + 1
    else
        other = other + 1
    end
end

function done(summary, latency, requests)
    local t, a, r, o = 0, 0, 0, 0
    for _, thread in ipairs(threads) do
        t = t + thread:get("tokens")
        a = a + thread:get("accepted")
        r = r + thread:get("refused")
        o = o + thread:get("other")
    end
    local e = summary.errors
    io.write(string.format(
        "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d p999_us=%d tokens=%d accepted=%d refused=%d other=%d socket_errors=%d timeouts=%d\n",
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
        t, a, r, o, e.connect + e.read + e.write, e.timeout))
end
