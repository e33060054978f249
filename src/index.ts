// The package's entry for programs: the client that starts, watches and cancels runs, the
// configuration it connects with, and the contract of a run (its input and its summary).
export * from './client.js';
export { type Config, ConfigError, loadConfig } from './config.js';
export * from './run/input.js';
export type * from './run/messages.js';
export * from './run/status.js';
export type * from './run/summary.js';
