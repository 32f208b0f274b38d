import { expect, type APIRequestContext } from '@playwright/test';
import { vmPort } from './playwright.config';

const vm = `http://127.0.0.1:${vmPort}`;

/** Two hours of samples up to now, every 15 s: 9 OK and 1 failed request per
 * scrape, with latencies spread over a fixed histogram. */
export function samples(): string {
  const now = Math.floor(Date.now() / 1000);
  const lines: string[] = [];
  for (let i = 0, t = now - 7200; t <= now; i++, t += 15) {
    const n = i + 1;
    const ms = t * 1000;
    lines.push(`http_requests_total{job="api",code="200"} ${9 * n} ${ms}`);
    lines.push(`http_requests_total{job="api",code="500"} ${n} ${ms}`);
    for (const [le, per] of [['0.05', 4], ['0.1', 7], ['0.25', 9], ['1', 10], ['+Inf', 10]] as const) {
      lines.push(`http_request_duration_seconds_bucket{job="api",le="${le}"} ${per * n} ${ms}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Imports [`samples`] into the tests' VictoriaMetrics, queryable at once
 * (importing them again changes nothing). */
export async function importSamples(request: APIRequestContext): Promise<void> {
  expect((await request.post(`${vm}/api/v1/import/prometheus`, { data: samples() })).ok()).toBe(true);
  expect((await request.get(`${vm}/internal/force_flush`)).ok()).toBe(true);
}
