import { expect, type APIRequestContext } from '@playwright/test';

/** The admin token the browser tests' Porthole is started with, so tests
 * can write incidents and maintenance as an operator would. */
export const adminToken = 'e2e-admin-token-that-is-long-enough-to-pass';

const auth = { authorization: `Bearer ${adminToken}` };

/** What the page-kind tests open as an operator: an incident (minor,
 * investigating, "Slow sign-ins") and a snapshot of the product dashboard. */
export async function openIncidentAndSnapshot(request: APIRequestContext) {
  const incident = await request.post('/api/v1/incidents', {
    headers: auth,
    data: { title: 'Slow sign-ins', impact: 'minor', services: [], message: 'Looking into it.' },
  });
  expect(incident.status()).toBe(201);
  const snapshot = await request.post('/api/snapshots', {
    headers: auth,
    data: { dashboard: 'product', range: '30d' },
  });
  expect(snapshot.status()).toBe(201);
  return { incidentId: (await incident.json()).id as number, snapshotId: (await snapshot.json()).id as string };
}

/** Deletes incident `id`, as the operator. */
export async function deleteIncident(request: APIRequestContext, id: number) {
  await request.delete(`/api/v1/incidents/${id}`, { headers: auth });
}
