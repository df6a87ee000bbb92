#!/usr/bin/env node
// Fails the build when the dashboard's initial JavaScript (the entry chunk and every chunk it
// imports statically; lazy pages and the playground excluded) exceeds the budget, gzipped.
// Reads the vite manifest (frontend/dist/.vite/manifest.json).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 170; // kB of gzipped JavaScript (1 kB = 1000 bytes, as vite reports)
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));

const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
if (entries.length === 0) {
  console.error('check-size: the manifest has no entry chunk');
  process.exit(1);
}

const initial = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || initial.has(chunk.file)) return;
  initial.add(chunk.file);
  for (const imported of chunk.imports ?? []) visit(imported);
};
for (const [key] of entries) visit(key);

const gz = (file) => gzipSync(readFileSync(join(dist, file))).length;
const kb = (bytes) => (bytes / 1000).toFixed(2);
let total = 0;
const rows = [...initial]
  .filter((file) => file.endsWith('.js'))
  .map((file) => {
    const size = gz(file);
    total += size;
    return { file, size };
  })
  .sort((a, b) => b.size - a.size);

let lazyTotal = 0;
for (const chunk of Object.values(manifest)) {
  if (chunk.file.endsWith('.js') && !initial.has(chunk.file)) lazyTotal += gz(chunk.file);
}

console.log('\nInitial JavaScript (entry + static imports), gzipped:');
for (const { file, size } of rows) console.log(`  ${file.padEnd(48)} ${kb(size).padStart(9)} kB`);
console.log(`  ${'total'.padEnd(48)} ${kb(total).padStart(9)} kB (budget ${BUDGET_KB} kB)`);
console.log(`Lazy chunks (pages, playground), gzipped: ${kb(lazyTotal)} kB\n`);

if (total > BUDGET_KB * 1000) {
  console.error(`check-size: initial JavaScript is ${kb(total)} kB gzipped, over the ${BUDGET_KB} kB budget`);
  process.exit(1);
}
