/**
 * A failure talking to the forge (GitHub). `retryable` tells the caller whether trying again later
 * can help (server errors, rate limits) or whether an operator has to fix something first (token,
 * permissions, repository, branch); the message says what. Messages never carry the token.
 */
export class ForgeError extends Error {
  override name = 'ForgeError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
