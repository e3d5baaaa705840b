// The command's name, its exit codes and its one error type: what every part of the
// command shares.

/** The command's name, as help texts and hints print it. */
export const PROG = "backup-errors";

/** Exit codes, documented in the help texts (cli/help.js). */
export const EXIT = {
  ok: 0,
  usage: 1,
  input: 2,
  notFound: 3,
  retryable: 10,
  reauth: 11,
  notRetryable: 12,
  itemErrors: 13,
  internal: 70,
};

/** A failure the user can act on: one line on stderr, then `process.exit(exitCode)`. */
export class CliError extends Error {
  constructor(message, exitCode = EXIT.usage, hint = null) {
    super(message);
    this.exitCode = exitCode;
    this.hint = hint;
  }
}
export const usage = (message, command) => new CliError(message, EXIT.usage, `see '${PROG} ${command ? command + " " : ""}--help'`);

