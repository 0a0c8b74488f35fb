-- wrk script of the benchmark's whole-path phase: each shopper asks for a purchase token, then buys
-- with the token it got, as a client does. BENCH_LINES names a file of
-- "<user id>\t<access token>\t<client address>\t<product id>" lines, each thread its share. A
-- thread's connections send the buys of the tokens that came back first, and otherwise the next
-- shopper's token request. A token's answer does not say whose it is, so the user is read from the
-- token itself (the JWT's "sub").

dofile(os.getenv("BENCH_COMMON"))

local ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local SEXTET = {}
for i = 1, #ALPHABET do
    SEXTET[ALPHABET:byte(i)] = i - 1
end

local function base64url_decode(text)
    local out, bits, count = {}, 0, 0
    for i = 1, #text do
        local value = SEXTET[text:byte(i)]
        if value then
            bits = bits * 64 + value
            count = count + 6
            if count >= 8 then
                count = count - 8
                local byte = math.floor(bits / 2 ^ count)
                out[#out + 1] = string.char(byte)
                bits = bits - byte * 2 ^ count
            end
        end
    end
    return table.concat(out)
end

local function subject(token)
    local payload = token:match("^[^.]+%.([^.]+)%.")
    return payload and base64url_decode(payload):match('"sub"%s*:%s*"([^"]+)"')
end

function init(args)
    shoppers, by_user, ready = {}, {}, {}
    this_threads_lines(function(line)
        local user, auth, ip, product = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
        local shopper = { headers = shopper_headers(auth, ip), product = product }
        shopper.token_request = wrk.format("POST", "/api/flash-sale/token", shopper.headers,
                '{"productId":"' .. product .. '"}')
        shoppers[#shoppers + 1] = shopper
        by_user[user] = shopper
    end)
    counter = 0
end

function request()
    local buy = table.remove(ready)
    if buy then
        return wrk.format("POST", "/api/flash-sale/buy", buy.shopper.headers,
                '{"productId":"' .. buy.shopper.product .. '","quantity":1,"token":"' .. buy.token .. '"}')
    end
    counter = counter + 1
    if counter > #shoppers then
        counter = 1
    end
    return shoppers[counter].token_request
end

function response(status, headers, body)
    if status == 200 then
        local token = body:match('"token"%s*:%s*"([^"]+)"')
        local shopper = token and by_user[subject(token) or ""]
        if shopper then
            tokens = tokens + 1
            ready[#ready + 1] = { shopper = shopper, token = token }
        else
            other = other + 1
        end
    else
        count_buy(status)
    end
end
