// The CLI's exit codes, in a module of their own: main.ts needs them on every path, and importing
// them from run-command.ts would load the Temporal client before any command is chosen.
export const EXIT = {
  ok: 0,
  failed: 1,
  invalidInput: 2,
  cancelled: 3,
  rejected: 4,
  interrupted: 130,
} as const;
