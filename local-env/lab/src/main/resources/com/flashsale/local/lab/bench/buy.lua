-- wrk script of the benchmark's HTTP section: buy requests of pre-generated shoppers.
-- BENCH_LINES names a file of "<access token>\t<client address>\t<JSON body>" lines; thread i of
-- BENCH_THREADS sends lines i, i + n, i + 2n, ... in turn and starts over when it runs out.
-- Prints one "BENCH key=value ..." line at the end.

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    local step = tonumber(os.getenv("BENCH_THREADS"))
    requests = {}
    accepted, refused, other = 0, 0, 0
    local i = 0
    for line in io.lines(os.getenv("BENCH_LINES")) do
        if i % step == id then
            local auth, ip, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
            requests[#requests + 1] = wrk.format("POST", "/api/flash-sale/buy", {
                ["Authorization"] = "Bearer " .. auth,
                ["X-Forwarded-For"] = ip,
                ["Content-Type"] = "application/json"
            }, body)
        end
        i = i + 1
    end
    counter = 0
end

function request()
    counter = counter + 1
    if counter > #requests then
        counter = 1
    end
    return requests[counter]
end

function response(status, headers, body)
    if status == 202 then
        accepted = accepted + 1
    elseif status == 409 then
        refused = refused + 1
    else
        other = other + 1
    end
end

function done(summary, latency, requests)
    local a, r, o = 0, 0, 0
    for _, thread in ipairs(threads) do
        a = a + thread:get("accepted")
        r = r + thread:get("refused")
        o = o + thread:get("other")
    end
    local e = summary.errors
    io.write(string.format(
        "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d p999_us=%d accepted=%d refused=%d other=%d socket_errors=%d timeouts=%d\n",
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
        a, r, o, e.connect + e.read + e.write, e.timeout))
end
