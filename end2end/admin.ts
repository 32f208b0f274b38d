/** The admin token the browser tests' Porthole is started with, so tests
 * can write incidents and maintenance as an operator would. */
export const adminToken = 'e2e-admin-token-that-is-long-enough-to-pass';
