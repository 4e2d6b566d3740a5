#!/usr/bin/env node
// Prints the node flag that sizes the heap for `npm start` (see src/config/heap-limit.ts):
// `node $(node scripts/heap-size.js) … dist/main.js`. Needs the build (prestart makes it).
const { heapLimitFlags } = require('../dist/config/heap-limit.js');

const problems = [];
const flags = heapLimitFlags(process.env, problems);
for (const problem of problems) process.stderr.write(`${problem}\n`);
process.stdout.write(flags.join(' '));
