import type { DatabaseAdapter } from './database-adapter.js';
export const postgresAdapter = undefined as unknown as DatabaseAdapter;
