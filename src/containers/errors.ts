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
