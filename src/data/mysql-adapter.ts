import type { DatabaseAdapter } from './database-adapter.js';
export const mysqlAdapter = undefined as unknown as DatabaseAdapter;
