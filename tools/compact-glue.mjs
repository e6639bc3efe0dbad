// Trunk post-build hook: makes the wasm-bindgen output smaller on the wire without changing
// what it does.
//
// wasm-bindgen names every import after the Rust path plus a 16-digit hash
// (`__wbg_set_credentials_bb5277b4006149d4`), and each name is written twice: in the wasm's
// import section and as a key of the JS glue's import object. Hashes do not compress, so this
// renames each import to a short name (`a`, `b`, ... `aB`) in both files, renames the import
// module (`./kyc-onboarding_bg.js`) to `a`, minifies the glue with terser and updates the
// subresource-integrity hashes of both files in the staged index.html.
//
// Every rename is checked: a name that does not occur exactly once as a key of the glue, or an
// import from a module we do not know, fails the build instead of shipping a broken page.
//
// Run by trunk with TRUNK_STAGING_DIR set; `node tools/compact-glue.mjs <dir>` works on any dist.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { minify } from 'terser';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) fail('give the dist directory, or run as a trunk hook (TRUNK_STAGING_DIR)');

function fail(message) {
  console.error(`compact-glue: ${message}`);
  process.exit(1);
}

const files = fs.readdirSync(dir);
const wasmName = files.find((f) => f.endsWith('_bg.wasm'));
const jsName = wasmName && files.find((f) => f === wasmName.replace(/_bg\.wasm$/, '.js'));
if (!wasmName || !jsName) fail(`no wasm-bindgen output (*_bg.wasm and its .js) in ${dir}`);
const wasmPath = path.join(dir, wasmName);
const jsPath = path.join(dir, jsName);

/** Unsigned LEB128 at `pos`: [value, position after it]. */
function readU32(buf, pos) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = buf[pos++];
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return [value >>> 0, pos];
}

function u32(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Buffer.from(out);
}

const encodeName = (s) => {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([u32(bytes.length), bytes]);
};

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
function shortName(i) {
  let s = '';
  do {
    s += ALPHABET[i % ALPHABET.length];
    i = Math.floor(i / ALPHABET.length);
  } while (i);
  return s;
}

/** Skips one import descriptor (function, table, memory, global, tag). */
function skipDescriptor(buf, pos) {
  const kind = buf[pos++];
  const limits = () => {
    const flags = buf[pos++];
    [, pos] = readU32(buf, pos);
    if (flags & 1) [, pos] = readU32(buf, pos);
  };
  switch (kind) {
    case 0: [, pos] = readU32(buf, pos); break; // function: type index
    case 1: pos++; limits(); break; // table: element type, limits
    case 2: limits(); break; // memory
    case 3: pos += 2; break; // global: value type, mutability
    case 4: pos++; [, pos] = readU32(buf, pos); break; // tag
    default: fail(`unknown import kind ${kind}`);
  }
  return pos;
}

/** Rewrites the import section; returns the new wasm, the glue's module name and the renames. */
function renameImports(wasm, glueModule) {
  if (wasm.readUInt32LE(0) !== 0x6d736100) fail(`${wasmName} is not a wasm module`);
  const parts = [wasm.subarray(0, 8)];
  const renames = new Map();
  let pos = 8;
  while (pos < wasm.length) {
    const id = wasm[pos];
    const [size, start] = readU32(wasm, pos + 1);
    const end = start + size;
    if (id !== 2) {
      parts.push(wasm.subarray(pos, end));
      pos = end;
      continue;
    }
    let [count, p] = readU32(wasm, start);
    const entries = [u32(count)];
    for (let i = 0; i < count; i++) {
      let len;
      [len, p] = readU32(wasm, p);
      const module = wasm.toString('utf8', p, p + len);
      p += len;
      [len, p] = readU32(wasm, p);
      const field = wasm.toString('utf8', p, p + len);
      p += len;
      const descriptor = p;
      p = skipDescriptor(wasm, p);
      if (module !== glueModule) fail(`import ${module}.${field} is not from the glue`);
      if (!renames.has(field)) renames.set(field, shortName(renames.size));
      entries.push(encodeName('a'), encodeName(renames.get(field)), wasm.subarray(descriptor, p));
    }
    if (p !== end) fail('import section has trailing bytes');
    const body = Buffer.concat(entries);
    parts.push(Buffer.from([2]), u32(body.length), body);
    pos = end;
  }
  return [Buffer.concat(parts), renames];
}

let js = fs.readFileSync(jsPath, 'utf8');
// The import object's module key: `"./kyc-onboarding_bg.js": import0`.
const glueModule = js.match(/"(\.\/[^"]+_bg\.js)"\s*:/)?.[1];
if (!glueModule) fail(`${jsName} does not look like wasm-bindgen's web glue`);
const [wasm, renames] = renameImports(fs.readFileSync(wasmPath), glueModule);

for (const [from, to] of renames) {
  // As a key of the import object: `    __wbg_x_0123456789abcdef: function(`.
  const key = new RegExp(`(^|[\\s{,])${from.replace(/\$/g, '\\$')}(?=\\s*:)`, 'gm');
  const found = js.match(key)?.length ?? 0;
  if (found !== 1) fail(`import ${from} is a key of the glue ${found} times, not once`);
  js = js.replace(key, `$1${to}`);
}
js = js.replace(JSON.stringify(glueModule), 'a');

const minified = await minify(js, { module: true, compress: { passes: 2 }, mangle: true });
if (!minified.code) fail('terser returned nothing');
fs.writeFileSync(jsPath, minified.code);
fs.writeFileSync(wasmPath, wasm);

// The staged index.html pins both files by hash.
const indexPath = path.join(dir, 'index.html');
let html = fs.readFileSync(indexPath, 'utf8');
for (const name of [jsName, wasmName]) {
  const digest = crypto.createHash('sha384').update(fs.readFileSync(path.join(dir, name))).digest('base64');
  html = html.replace(/<link\b[^>]*>/g, (tag) =>
    tag.includes(`/${name}"`) ? tag.replace(/integrity="sha384-[^"]*"/, `integrity="sha384-${digest}"`) : tag,
  );
}
fs.writeFileSync(indexPath, html);
console.log(`compact-glue: ${renames.size} imports renamed, glue ${minified.code.length} bytes`);
