// Many live viewers on one Porthole: opens VIEWERS event streams
// (`/api/live/...`) at once, as that many browsers following a dashboard
// with auto refresh would, holds them for SECONDS, and reports when each
// frame reached each viewer. Part of `make bench` (scripts/bench.sh).
//
//   node scripts/live-viewers.mjs VIEWERS SECONDS URL [RSS_PID]
//
// Porthole admits 32 streams per client address, so the viewers come from
// as many loopback addresses as they need (127.1.x.y: all of 127/8 is
// loopback on Linux), 32 each, like viewers behind distinct addresses.
//
// A frame is computed once per interval and sent to every viewer; its
// delivery delay is the time from the first viewer that received it to
// each other one. Frames are told apart by their data and, as a quiet
// dashboard sends the same data again a tick later, by arriving more than
// half the shortest refresh (5 s) after that data's first arrival. Printed as one
// JSON object: {"viewers", "connected", "refused", "failed", "frames"
// (distinct), "deliveries", "delay_p50_ms", "delay_p99_ms",
// "delay_max_ms", "rss_mb_max" (of RSS_PID while the streams were open)}.
import fs from 'node:fs';
import http from 'node:http';

const [viewers, seconds] = [Number(process.argv[2]), Number(process.argv[3])];
const url = new URL(process.argv[4] ?? '');
const rssPid = process.argv[5];
const PER_ADDRESS = 32;

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const HALF_TICK_MS = 5000;
const arrivals = [];
let connected = 0;
let refused = 0;
let failed = 0;
let rssMax = 0;

function sourceAddress(n) {
  const block = Math.floor(n / PER_ADDRESS) + 1;
  return `127.1.${Math.floor(block / 250)}.${(block % 250) + 1}`;
}

function readRssMb() {
  if (!rssPid) return;
  const status = fs.readFileSync(`/proc/${rssPid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  rssMax = Math.max(rssMax, Math.round(kb / 1024));
}

/** Opens viewer `n`'s stream and records each frame's arrival. */
function follow(n) {
  return new Promise((opened) => {
    const request = http.get(
      url,
      { agent, localAddress: sourceAddress(n), headers: { accept: 'text/event-stream' } },
      (response) => {
        if (response.statusCode !== 200) {
          refused += 1;
          response.resume();
          opened();
          return;
        }
        connected += 1;
        opened();
        response.setEncoding('utf8');
        let pending = '';
        response.on('data', (chunk) => {
          const now = performance.now();
          pending += chunk;
          let end;
          while ((end = pending.indexOf('\n\n')) >= 0) {
            const event = pending.slice(0, end);
            pending = pending.slice(end + 2);
            const data = event
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5))
              .join('\n');
            if (!/^event: ?frame$/m.test(event) || !data) continue;
            arrivals.push([data, now]);
          }
        });
        response.on('error', () => {});
      },
    );
    request.on('error', () => {
      failed += 1;
      opened();
    });
  });
}

// Open in batches, so the server sees a crowd arrive, not a single burst
// of SYNs the listen backlog drops.
for (let n = 0; n < viewers; n += 500) {
  const batch = [];
  for (let k = n; k < Math.min(viewers, n + 500); k += 1) batch.push(follow(k));
  await Promise.all(batch);
}
const rssTimer = setInterval(readRssMb, 500);
await new Promise((done) => setTimeout(done, seconds * 1000));
clearInterval(rssTimer);
readRssMb();

// Each arrival's delay after the first arrival of the same frame.
arrivals.sort((a, b) => a[1] - b[1]);
const firstOf = new Map();
let frames = 0;
const delays = arrivals
  .map(([data, at]) => {
    const first = firstOf.get(data);
    if (first === undefined || at - first > HALF_TICK_MS) {
      firstOf.set(data, at);
      frames += 1;
      return 0;
    }
    return at - first;
  })
  .sort((a, b) => a - b);
const quantile = (q) => (delays.length ? delays[Math.floor((delays.length - 1) * q)] : null);
const round = (ms) => (ms === null ? null : Math.round(ms * 10) / 10);
console.log(
  JSON.stringify({
    viewers,
    connected,
    refused,
    failed,
    frames,
    deliveries: delays.length,
    delay_p50_ms: round(quantile(0.5)),
    delay_p99_ms: round(quantile(0.99)),
    delay_max_ms: round(quantile(1)),
    rss_mb_max: rssPid ? rssMax : null,
  }),
);
process.exit(0);
