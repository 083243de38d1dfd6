// Writes a gzip (.gz) and a Brotli (.br) copy beside every compressible
// file in dist/, at the highest levels, so that the server sends them
// without compressing on each request (backend/httpapi/frontend.go picks
// the best one the browser accepts). A copy that is not smaller is skipped.
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const compressible = /\.(js|mjs|css|html|svg|json|txt|map|woff)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (compressible.test(name)) yield path;
  }
}

let written = 0;
for (const path of files(dist)) {
  const data = readFileSync(path);
  const variants = {
    '.gz': gzipSync(data, { level: 9 }),
    '.br': brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }),
  };
  for (const [ext, out] of Object.entries(variants)) {
    if (out.length < data.length) {
      writeFileSync(path + ext, out);
      written++;
    }
  }
}
console.log(`compress: ${written} precompressed files written`);
