/** Collects a repeatable option into an array (commander's option argument parser). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
