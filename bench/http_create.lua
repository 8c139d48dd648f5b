-- http_create.lua — wrk script for bench/http.sh: POST /api/v1/tickets
-- with a different subject each time (the request of the API test: a
-- contact of the demo, by email, with a screenshot, so INT-3 is met).
-- Each thread appends the folio of every 201 answer to OUTDIR/folios.N
-- (the warm-up run's too); done() prints how many answers of each status
-- came back.
--
-- wrk ... -s bench/http_create.lua URL -- OUTDIR

local threads = {}
local nthreads = 0

function setup(thread)
	nthreads = nthreads + 1
	thread:set("id", nthreads)
	table.insert(threads, thread)
end

function init(args)
	seq = 0
	statuses = {}
	out = assert(io.open(args[1] .. "/folios." .. id, "a"))
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
end

function request()
	seq = seq + 1
	local body = string.format('{"contact": "luis@ferreterialopez.mx", ' ..
		'"channel": "email", "subject": "Falla %d.%d del punto de venta", ' ..
		'"description": "No abre desde la mañana", "files": [{"filename": ' ..
		'"e.png", "mime": "image/png", "data_base64": "iVBORw0KGgo="}]}',
		id, seq)
	return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
	statuses[status] = (statuses[status] or 0) + 1
	if status == 201 then
		out:write((body:match('"folio":"([^"]+)"') or "?"), "\n")
	end
end

function done(summary, latency, requests)
	local total = {}
	for _, t in ipairs(threads) do
		for k, v in pairs(t:get("statuses")) do
			total[k] = (total[k] or 0) + v
		end
	end
	for k, v in pairs(total) do
		io.write(string.format("status.%d=%d\n", k, v))
	end
end
