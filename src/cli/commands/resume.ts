import type { RegisterCommand } from '../command.js';

/** Placeholder until the owning capability registers its command(s) here. */
export const register: RegisterCommand = () => {};
