// A separate process that writes one dialogue through the compiled file store (dist/), for the tests that
// need real concurrency between processes or a process killed mid-write.
//
//   node store-writer.mjs churn  <root> <id> <payloadBytes>   update forever, each time replacing a large
//                                                             payload; prints "committed <version>" after each
//   node store-writer.mjs append <root> <id> <marker> <count> append "<marker>-<i>" to sources, count times

import { assertDistCurrent } from '../../scripts/blue.mjs';

try {
  assertDistCurrent();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const { FileStore } = await import('../../dist/store/file/store.js');

const [mode, root, id, ...rest] = process.argv.slice(2);
const store = new FileStore(root);

if (mode === 'churn') {
  const payloadBytes = Number(rest[0]);
  for (let i = 0; ; i++) {
    const next = await store.update(id, (d) => {
      const version = d.version + 1;
      // The payload names the version it belongs to, so a reader can tell a mixed-up file from a whole one.
      d.question = `${version}:` + String.fromCharCode(97 + (i % 26)).repeat(payloadBytes);
      d.sources = [...d.sources.slice(-20), `churn-${version}`];
      return d;
    });
    process.stdout.write(`committed ${next.version}\n`); // synchronous on a pipe: printed means committed
  }
} else if (mode === 'append') {
  const [marker, count] = rest;
  for (let i = 0; i < Number(count); i++) {
    await store.update(id, (d) => ({ ...d, sources: [...d.sources, `${marker}-${i}`] }));
  }
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
