// What a thrown value says about itself, whatever threw it (Node, the AWS SDK, KMS).

/** The `name` of a thrown value (SDK errors carry their kind there), or undefined when it has none. */
export function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}
