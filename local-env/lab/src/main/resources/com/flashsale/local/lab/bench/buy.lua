-- wrk script of the benchmark's HTTP section: buy requests of pre-generated shoppers.
-- BENCH_LINES names a file of "<access token>\t<client address>\t<JSON body>" lines; each thread
-- sends its lines in turn and starts over when it runs out.

dofile(os.getenv("BENCH_COMMON"))

function init(args)
    requests = {}
    this_threads_lines(function(line)
        local auth, ip, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
        requests[#requests + 1] = wrk.format("POST", "/api/flash-sale/buy", shopper_headers(auth, ip), body)
    end)
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
    count_buy(status)
end
