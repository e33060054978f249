export class JobImageMissingError extends Error {
  override name = 'JobImageMissingError';
  constructor(readonly image: string) {
    super(
      `job image ${image} not found: run \`npm run setup\` (or set SPECKIT_JOB_IMAGE to an image on this host)`,
    );
  }
}

export class DockerUnavailableError extends Error {
  override name = 'DockerUnavailableError';
  constructor(cause: unknown) {
    super(
      `Docker daemon unreachable (${(cause as Error).message}): start it (\`npm run stack:up\`) or point DOCKER_HOST at it`,
      { cause },
    );
  }
}

export function statusCode(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}

/** A daemon that cannot be reached becomes a DockerUnavailableError; any other error stays as it is. */
export function dockerError(err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EACCES')
    return new DockerUnavailableError(err);
  return err as Error;
}

/** Runs a Docker call, its failure mapped by dockerError. */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw dockerError(err);
  }
}
