import type { RegisterCommand } from '../command.js';

/** `resume` is registered beside `run` (commands/run.ts): they share their flags and output. */
export const register: RegisterCommand = () => {};
