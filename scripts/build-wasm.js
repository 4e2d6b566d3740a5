#!/usr/bin/env node
// `npm run build:wasm`: compiles src/vector-store/embedded/dot-kernel.wat and writes its bytes
// (base64) into dot-kernel.ts, whose spec checks that the two still agree.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Buffer } = require('node:buffer');

const dir = join(__dirname, '..', 'src', 'vector-store', 'embedded');

async function main() {
  const wabt = await require('wabt')();
  const source = readFileSync(join(dir, 'dot-kernel.wat'), 'utf8');
  const module = wabt.parseWat('dot-kernel.wat', source, { simd: true });
  const bytes = Buffer.from(module.toBinary({}).buffer);
  module.destroy();
  const target = join(dir, 'dot-kernel.ts');
  const before = readFileSync(target, 'utf8');
  const after = before
    .replace(/export const DOT_KERNEL_WASM =\n {2}'[^']*';/, `export const DOT_KERNEL_WASM =\n  '${bytes.toString('base64')}';`)
    .replace(/compiled by `npm run build:wasm` \(\d+ bytes\)/, `compiled by \`npm run build:wasm\` (${bytes.length} bytes)`);
  writeFileSync(target, after);
  console.log(after === before ? 'dot-kernel.ts already holds these bytes' : `dot-kernel.ts updated (${bytes.length} bytes)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
