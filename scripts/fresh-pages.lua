-- wrk script for `make bench`: every request asks for a dashboard page the
-- page cache has not seen (a distinct `title`, one of the view parameters
-- the cache keys on), so each answer is a fresh render. Answers that came
-- from the page cache anyway (`x-porthole-page: hit`) are counted and
-- printed at the end as "page cache hits: N".
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

-- The script's argument (after `--`) starts every title, so runs that pass
-- different ones never ask for each other's pages.
function init(args)
  counter = 0
  hits = 0
  run = args[1] or "fresh"
end

function request()
  counter = counter + 1
  return wrk.format("GET", "/?range=30d&title=" .. run .. "-" .. id .. "-" .. counter)
end

function response(status, headers, body)
  if headers["x-porthole-page"] == "hit" then
    hits = hits + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("hits")
  end
  io.write("page cache hits: " .. total .. "\n")
end
