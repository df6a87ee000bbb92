#!/usr/bin/env node
// Fails the build when the built dashboard or playground would load anything from a CDN: every
// asset must come from the binary itself (SPEC section 7). Lists the other absolute URLs found
// in the output (namespaces, documentation links in error messages) for review.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const CDN = [
  /(^|\.)unpkg\.com$/,
  /(^|\.)jsdelivr\.(net|com)$/,
  /(^|\.)cdnjs\.cloudflare\.com$/,
  /(^|\.)esm\.(sh|run)$/,
  /(^|\.)skypack\.dev$/,
  /(^|\.)jspm\.(io|dev)$/,
  /(^|\.)googleapis\.com$/,
  /(^|\.)gstatic\.com$/,
  /(^|\.)bootstrapcdn\.com$/,
  /(^|\.)cloudflare\.com$/,
  /(^|\.)cdn\./,
  /^cdn\d*\./,
];

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(js|mjs|css|html|json|webmanifest)$/.test(name)) files.push(p);
  }
};
walk(dist);

const hosts = new Map();
const offending = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/https?:\/\/([a-z0-9.-]+\.[a-z]{2,})/gi)) {
    const host = m[1].toLowerCase();
    hosts.set(host, (hosts.get(host) ?? 0) + 1);
    if (CDN.some((re) => re.test(host))) offending.push(`${relative(dist, file)}: ${m[0]}`);
  }
}

console.log(`check-offline: ${files.length} files scanned; hosts referenced (not loaded by the app): ${[...hosts.keys()].sort().join(', ') || 'none'}`);
if (offending.length > 0) {
  console.error('check-offline: CDN URLs in the built output:');
  for (const o of [...new Set(offending)].slice(0, 50)) console.error(`  ${o}`);
  process.exit(1);
}
