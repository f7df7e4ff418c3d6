// Where the e2e server runs and what it writes, shared by playwright.config.ts and the specs that inspect it.
export const PORT = Number(process.env.E2E_PORT ?? 4310);
export const BASE = `http://127.0.0.1:${PORT}`;
export const DATA_DIR = process.env.E2E_DATA_DIR ?? `.data-e2e-${PORT}`;
/** Each e2e port builds into its own folder, so a build elsewhere (npm start, another run) never swaps files under it. */
export const STATIC_DIR = `dist-e2e-${PORT}`;
/** The server's console output and request log, kept for the token-leak checks (bad-inputs S4). */
export const SERVER_OUT = `${DATA_DIR}/server.out`;
export const REQUEST_LOG = `${DATA_DIR}/requests.log`;
/** Stands in for a token from a Zoho sign-in (e2e/zoho-connection.spec.ts); the leak checks search every log for it. */
export const ZOHO_CANARY_TOKEN = '1000.e2e-zoho-canary.7c4f1a9b2d';
