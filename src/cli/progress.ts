/** Times a step and prints `name ... done in 1.2 s` to stderr, so stdout stays for results. */
export async function timed<T>(name: string, step: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  process.stderr.write(`${name} ...\n`);
  const result = await step();
  process.stderr.write(`${name}: done in ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
  return result;
}
