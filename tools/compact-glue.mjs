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
// In a release build it first drops what the page can never call. wasm-bindgen exports every
// `#[wasm_bindgen]` class of every dependency (wasm-streams' `IntoUnderlyingSource` and its
// kin, pulled in by Leptos' server functions) and the wasm keeps their code alive. The page
// imports only the glue's `init`, so those classes go from the glue, every wasm export the glue
// no longer reads goes from the wasm, wasm-opt runs again to drop the code only they reached,
// and the glue's import functions the wasm no longer imports go too. The exports the glue
// reads get short names as well (`wasm.a`), like the imports.
//
// In the release build the later screens come as a second wasm module (src/ui/later.rs,
// split off by tools/split-link.sh into $KYC_SPLIT_DIR). The hook optimizes it, names it by
// its content, puts its loader inside the glue (one file less before the app starts), and
// keeps under their names the main wasm's exports the loader reads (memory, the function
// table, a shared global).
//
// Every step is checked: a name that does not occur exactly once where it should in the glue,
// an import from a module we do not know, a dropped class still referenced or an export read
// with a computed name fails the build instead of shipping a broken page.
//
// Run by trunk with TRUNK_STAGING_DIR set, or `node tools/compact-glue.mjs <dir>` on a dist trunk
// has just built (not one this hook has already compacted). Its steps are exported for
// tests/e2e/build-hook.spec.ts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as acorn from 'acorn';
import { minify } from 'terser';

/** A check that did not hold: the build stops with this message. */
export class GlueError extends Error {}

function fail(message) {
  throw new GlueError(message);
}

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * The wasm-bindgen whose glue and wasm this hook was written for and checked against: it
 * rewrites both by their shapes, which another version may change. xtask checks the same
 * (`BINDGEN_VERSION` in xtask/src/toolchain.rs).
 */
export const WRITTEN_FOR_BINDGEN = '0.2.130';

/** Stops the build when Cargo.lock's wasm-bindgen is not the one this hook was written for. */
export function checkBindgenVersion(lockText) {
  const locked = lockText.match(/name = "wasm-bindgen"\r?\nversion = "([^"]+)"/)?.[1];
  if (!locked) fail('Cargo.lock names no wasm-bindgen');
  if (locked !== WRITTEN_FOR_BINDGEN) {
    fail(
      `Cargo.lock has wasm-bindgen ${locked}, this hook was written for ${WRITTEN_FOR_BINDGEN}: ` +
        'check its rewrites against the new glue (tests/e2e/build-hook.spec.ts), then update ' +
        'WRITTEN_FOR_BINDGEN here and BINDGEN_VERSION in xtask/src/toolchain.rs',
    );
  }
}

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

/**
 * Walks the entries of the import (2) or export (7) section: calls `entry(module, field)` for
 * each (module is `null` for an export) and rebuilds the section from what it returns:
 * `[module, field]` to keep the entry under those names (what it imports or exports stays),
 * `null` to drop it.
 */
export function rewriteSection(wasm, id, entry) {
  if (wasm.readUInt32LE(0) !== 0x6d736100) fail('not a wasm module');
  const parts = [wasm.subarray(0, 8)];
  let pos = 8;
  while (pos < wasm.length) {
    const [size, start] = readU32(wasm, pos + 1);
    const end = start + size;
    if (wasm[pos] !== id) {
      parts.push(wasm.subarray(pos, end));
      pos = end;
      continue;
    }
    let [count, p] = readU32(wasm, start);
    const entries = [];
    for (let i = 0; i < count; i++) {
      let len;
      let module = null;
      if (id === 2) {
        [len, p] = readU32(wasm, p);
        module = wasm.toString('utf8', p, p + len);
        p += len;
      }
      [len, p] = readU32(wasm, p);
      const field = wasm.toString('utf8', p, p + len);
      p += len;
      const descriptor = p;
      if (id === 2) p = skipDescriptor(wasm, p);
      else [, p] = readU32(wasm, p + 1); // kind, index
      const kept = entry(module, field);
      if (!kept) continue;
      const names = kept[0] === null ? [encodeName(kept[1])] : kept.map(encodeName);
      entries.push(...names, wasm.subarray(descriptor, p));
    }
    if (p !== end) fail(`section ${id} has trailing bytes`);
    const body = Buffer.concat([u32(entries.length / (id === 2 ? 3 : 2)), ...entries]);
    parts.push(Buffer.from([id]), u32(body.length), body);
    pos = end;
  }
  return Buffer.concat(parts);
}

/** The field names of the import (2) or export (7) section. */
export function sectionNames(wasm, id) {
  const names = [];
  rewriteSection(wasm, id, (module, field) => (names.push(field), [module, field]));
  return names;
}

/**
 * Gives every import (2, all from `glueModule`, renamed to module `a`) or export (7) a short
 * name; returns the new wasm and the renames.
 */
export function renameSection(wasm, id, glueModule, later = null) {
  const renames = new Map();
  const renamed = rewriteSection(wasm, id, (module, field) => {
    // The later screens' loader: its module gets its built name, its functions keep theirs.
    if (id === 2 && later && module === LATER_LOADER) return [later.loaderPath, field];
    if (id === 2 && module !== glueModule) fail(`import ${module}.${field} is not from the glue`);
    // `init()` resolves to the exports: `memory` keeps its name there for whoever measures it,
    // and the loader of the later screens reads the exports it shares by name.
    if (id === 7 && (field === 'memory' || later?.shares.has(field))) return [null, field];
    if (!renames.has(field)) renames.set(field, shortName(renames.size));
    return [id === 2 ? 'a' : null, renames.get(field)];
  });
  return [renamed, renames];
}

/** Keeps only the exports in `read`; returns the new wasm and the names dropped. */
export function keepExports(wasm, read) {
  const dropped = [];
  const kept = rewriteSection(wasm, 7, (module, field) =>
    read.has(field) ? [null, field] : (dropped.push(field), null),
  );
  const exported = new Set(sectionNames(wasm, 7));
  const missing = [...read].filter((name) => !exported.has(name));
  if (missing.length) fail(`the glue reads exports the wasm lacks: ${missing.join(', ')}`);
  return [kept, dropped];
}

/** Runs wasm-opt again, as trunk did (index.html's data-wasm-opt and its params). */
function optimize(file) {
  const html = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
  const link = html.match(/<link\b[^>]*rel="rust"[^>]*>/)?.[0] ?? '';
  const level = link.match(/data-wasm-opt="([^"]+)"/)?.[1];
  const params = link.match(/data-wasm-opt-params="([^"]*)"/)?.[1].split(/\s+/).filter(Boolean) ?? [];
  if (!level) fail('index.html has no data-wasm-opt level for the rust link');
  const wasmOpt = path.join(root, 'node_modules', '.bin', 'wasm-opt');
  execFileSync(wasmOpt, [`-O${level}`, ...params, file, '-o', file], { stdio: 'inherit' });
}

/**
 * The page without what only its authors read: comments, indentation, the stylesheet's and
 * the bootstrap script's whitespace (about 1 KB gzip of the first load). The server allows
 * the inline script and stylesheet by the hash of what it serves, so the result stays allowed.
 * The page has no `<pre>` or `<textarea>`, whose whitespace would matter (checked).
 */
export async function compactPage(page) {
  if (/<(pre|textarea)\b/i.test(page)) fail('index.html has a <pre> or <textarea>: leave its whitespace alone');
  let out = page.replace(/<!--[\s\S]*?-->/g, '');
  out = out.replace(/(<style\b[^>]*>)([\s\S]*?)(<\/style>)/g, (_, open, css, close) => open + compactCss(css) + close);
  const scripts = [];
  for (const [, open, code] of out.matchAll(/(<script\b[^>]*>)([\s\S]*?)<\/script>/g)) {
    const type = open.match(/type="([^"]*)"/)?.[1];
    if (!code.trim() || (type && type !== 'module')) continue;
    const module = type === 'module';
    const small = await minify(code, { module, compress: { passes: 2 }, mangle: true });
    if (!small.code) fail('terser returned nothing for an inline script');
    scripts.push([code, small.code]);
  }
  for (const [code, small] of scripts) out = out.replace(code, () => small);
  return out.replace(/\n\s+/g, '\n');
}

/** A stylesheet without comments, without whitespace next to `{ } ; ,` or after `:`, strings kept. */
export function compactCss(css) {
  const parts = css.replace(/\/\*[\s\S]*?\*\//g, '').split(/("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/);
  return parts
    .map((part, i) => {
      if (i % 2) return part; // a string
      return part
        .replace(/\s+/g, ' ')
        .replace(/ ?([{};,]) ?/g, '$1')
        .replace(/: /g, ':') // `.a :hover` keeps its space; none is needed after a colon
        .replace(/;}/g, '}');
    })
    .join('')
    .trim();
}

/** Every node of an acorn tree, depth first. */
function* nodes(node) {
  if (!node || typeof node.type !== 'string') return;
  yield node;
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const child of value) yield* nodes(child);
    else if (value && typeof value === 'object') yield* nodes(value);
  }
}

const parse = (code) => acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module' });

/** Removes the source ranges `[start, end]` from `code`. */
function cut(code, ranges) {
  let out = code;
  for (const [start, end] of [...ranges].sort((a, b) => b[0] - a[0])) {
    out = out.slice(0, start) + out.slice(end);
  }
  return out;
}

const identifiers = (node) => [...nodes(node)].filter((n) => n.type === 'Identifier').map((n) => n.name);

/**
 * Drops the glue's exported classes (the page imports only `init`), the statements that use
 * them and the finalization registries only they used.
 */
export function dropExportedClasses(code) {
  const program = parse(code);
  const classes = new Set();
  const ranges = [];
  for (const statement of program.body) {
    if (statement.type === 'ExportNamedDeclaration' && statement.declaration?.type === 'ClassDeclaration') {
      classes.add(statement.declaration.id.name);
      ranges.push([statement.start, statement.end]);
    }
  }
  if (!classes.size) return code;
  // `if (Symbol.dispose) X.prototype[Symbol.dispose] = X.prototype.free;`: any other use of a
  // dropped class stays, and fails the check below.
  for (const statement of program.body) {
    const disposer =
      statement.type === 'IfStatement' && code.slice(statement.test.start, statement.test.end) === 'Symbol.dispose';
    if (disposer && identifiers(statement.consequent).some((name) => classes.has(name))) {
      ranges.push([statement.start, statement.end]);
    }
  }
  let out = cut(code, ranges);
  // `const XFinalization = ... new FinalizationRegistry(...)`, now read by nobody.
  const rest = parse(out);
  const uses = new Map();
  for (const name of identifiers(rest)) uses.set(name, (uses.get(name) ?? 0) + 1);
  const unused = rest.body.filter(
    (statement) =>
      statement.type === 'VariableDeclaration' &&
      statement.declarations.length === 1 &&
      statement.declarations[0].id.type === 'Identifier' &&
      uses.get(statement.declarations[0].id.name) === 1 &&
      /FinalizationRegistry/.test(out.slice(statement.start, statement.end)),
  );
  out = cut(out, unused.map((statement) => [statement.start, statement.end]));
  const left = identifiers(parse(out)).filter((name) => classes.has(name));
  if (left.length) fail(`dropped classes are still used: ${[...new Set(left)].join(', ')}`);
  return out;
}

/** Accesses to the wasm's exports: `wasm.name` (computed access fails the build). */
function exportAccesses(code) {
  const accesses = [];
  for (const node of nodes(parse(code))) {
    if (node.type !== 'MemberExpression' || node.object.type !== 'Identifier' || node.object.name !== 'wasm') continue;
    if (node.computed) fail('the glue reads a wasm export by a computed name');
    accesses.push(node.property);
  }
  if (!accesses.length) fail('the glue reads no wasm export: not wasm-bindgen glue?');
  return accesses;
}

/** The wasm exports the glue reads. */
export const exportsRead = (code) => new Set(exportAccesses(code).map((property) => property.name));

/** Renames `wasm.long_name` to `wasm.a` as the export section was. */
export function renameExportsRead(code, renames) {
  let out = code;
  for (const property of exportAccesses(code).sort((a, b) => b.start - a.start)) {
    if (property.name === 'memory') continue;
    const to = renames.get(property.name);
    if (!to) fail(`the glue reads export ${property.name}, which the wasm lacks`);
    out = out.slice(0, property.start) + to + out.slice(property.end);
  }
  return out;
}

/** Drops the import object's functions for imports the wasm no longer has. */
export function dropImportFunctions(code, gone) {
  if (!gone.length) return code;
  const wanted = new Set(gone);
  const ranges = [];
  const found = new Map();
  for (const node of nodes(parse(code))) {
    if (node.type !== 'ObjectExpression') continue;
    node.properties.forEach((property, i) => {
      const key = property.key?.type === 'Identifier' ? property.key.name : property.key?.value;
      if (property.type !== 'Property' || !wanted.has(key)) return;
      found.set(key, (found.get(key) ?? 0) + 1);
      const next = node.properties[i + 1];
      ranges.push([property.start, next ? next.start : property.end]);
    });
  }
  for (const name of gone) {
    if (found.get(name) !== 1) fail(`import ${name} is a key of the glue ${found.get(name) ?? 0} times, not once`);
  }
  return cut(code, ranges);
}

/** The module the main wasm imports the later screens' loader from (wasm-split-cli's name). */
const LATER_LOADER = './__wasm_split.js';

const contentHash = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** The import module name the main wasm gets for the loader, once inlined in the glue. */
const LATER_MODULE = 'b';

/**
 * The later screens' module (src/ui/later.rs), split off by tools/split-link.sh into
 * `splitDir`: `__wasm_split.js` (its loader) and `split_later.wasm`. Puts the wasm in `dir`,
 * optimized, under a name that changes with its content (`later-<hash>.wasm`; the server
 * caches such names for good), and returns the loader's code for the glue (pointed at that
 * wasm, without its module syntax), the names it exports, and the exports of the main wasm it
 * reads.
 */
export async function placeLaterModule(splitDir, dir) {
  const loader = fs.readFileSync(path.join(splitDir, '__wasm_split.js'), 'utf8');
  const chunks = fs.readdirSync(splitDir).filter((f) => f.endsWith('.wasm'));
  if (chunks.length !== 1 || chunks[0] !== 'split_later.wasm') {
    fail(`expected one split module, split_later.wasm, in ${splitDir}: found ${chunks.join(', ') || 'none'}`);
  }
  const shared = loader.match(/const \{([^}]*)\} = initSync\(undefined, undefined\);/);
  if (!shared) fail('the split loader does not read the main module\'s exports as expected');
  const shares = new Set(shared[1].split(',').map((name) => name.trim()).filter(Boolean));
  const wasmTmp = path.join(dir, 'later.tmp.wasm');
  fs.copyFileSync(path.join(splitDir, chunks[0]), wasmTmp);
  // Not the main wasm's params: this module shares memory the main one already wrote.
  const wasmOpt = path.join(root, 'node_modules', '.bin', 'wasm-opt');
  execFileSync(wasmOpt, ['-Oz', '--converge', wasmTmp, '-o', wasmTmp], { stdio: 'inherit' });
  const wasmName = `later-${contentHash(fs.readFileSync(wasmTmp))}.wasm`;
  fs.renameSync(wasmTmp, path.join(dir, wasmName));
  const expect = (code, from, to) => {
    if (code.split(from).length !== 2) fail(`the split loader has ${from} ${code.split(from).length - 1} times, not once`);
    return code.replace(from, () => to);
  };
  // Inside the glue, `initSync` is the glue's own.
  let code = expect(loader, 'import { initSync } from "./main.js";', '');
  code = expect(code, '"./split_later.wasm"', `"./${wasmName}"`);
  const exported = [...code.matchAll(/^export const (\w+) =/gm)].map((m) => m[1]);
  if (!exported.length) fail('the split loader exports nothing');
  code = code.replace(/^export const /gm, 'const ');
  if (/^\s*(import|export)\b/m.test(code)) fail('the split loader has module syntax the glue cannot take in');
  console.log(`compact-glue: later screens in ${wasmName} (${fs.statSync(path.join(dir, wasmName)).size} bytes)`);
  return { shares, loader: code, exported, loaderPath: LATER_MODULE };
}

/**
 * The glue with the loader inside it instead of imported: `import * as importN from
 * "./__wasm_split.js"` becomes a constant holding the loader's functions. One file less to
 * fetch before the app starts.
 */
export function inlineLoader(glue, later) {
  const imports = parse(glue).body.filter(
    (statement) => statement.type === 'ImportDeclaration' && statement.source.value === LATER_LOADER,
  );
  if (imports.length !== 1) fail(`the glue imports ${LATER_LOADER} ${imports.length} times, not once`);
  const [statement] = imports;
  const [specifier] = statement.specifiers;
  if (statement.specifiers.length !== 1 || specifier.type !== 'ImportNamespaceSpecifier') {
    fail(`the glue imports ${LATER_LOADER} in a way this hook does not know`);
  }
  const local = specifier.local.name;
  const inlined = `const ${local} = (() => {\n${later.loader}\nreturn { ${later.exported.join(', ')} };\n})();`;
  return glue.slice(0, statement.start) + inlined + glue.slice(statement.end);
}

/**
 * Renames `name` (`<stem>-<hex>.js` in `dir`: trunk writes its 64-bit hash without leading
 * zeros, so 16 hex digits or fewer) after `content`'s hash and points `html` at the new name
 * (its preload link and the bootstrap's import). Returns the page and the name.
 */
export function renameByContent(dir, name, content, html) {
  const match = name.match(/^(.*-)[0-9a-f]{1,16}(\.js)$/);
  if (!match) fail(`${name} is not named <stem>-<hex digits>.js`);
  const renamed = `${match[1]}${contentHash(content)}${match[2]}`;
  const uses = html.split(`/${name}`).length - 1;
  if (uses < 2) fail(`index.html names ${name} ${uses} times, not in its preload link and its bootstrap`);
  fs.renameSync(path.join(dir, name), path.join(dir, renamed));
  return [html.replaceAll(`/${name}`, `/${renamed}`), renamed];
}

/** Compacts the wasm-bindgen output and the page in `dir` (a trunk staging dir or a dist). */
export async function compact(dir, release) {
  const files = fs.readdirSync(dir);
  const wasmName = files.find((f) => f.endsWith('_bg.wasm'));
  const jsName = wasmName && files.find((f) => f === wasmName.replace(/_bg\.wasm$/, '.js'));
  if (!wasmName || !jsName) fail(`no wasm-bindgen output (*_bg.wasm and its .js) in ${dir}`);
  const wasmPath = path.join(dir, wasmName);
  const jsPath = path.join(dir, jsName);

  let js = fs.readFileSync(jsPath, 'utf8');
  // The import object's module key: `"./kyc-onboarding_bg.js": import0`.
  const glueModule = js.match(/"(\.\/[^"]+_bg\.js)"\s*:/)?.[1];
  if (!glueModule) fail(`${jsName} does not look like wasm-bindgen's web glue`);
  let wasm = fs.readFileSync(wasmPath);
  const splitDir = process.env.KYC_SPLIT_DIR;
  const split = js.includes(JSON.stringify(LATER_LOADER));
  if (split && !(splitDir && fs.existsSync(path.join(splitDir, '__wasm_split.js')))) {
    fail(`the wasm imports ${LATER_LOADER}, but KYC_SPLIT_DIR has no split module`);
  }
  const later = split ? await placeLaterModule(splitDir, dir) : null;
  if (later) js = inlineLoader(js, later);

  if (release) {
    const importsBefore = new Set(sectionNames(wasm, 2));
    js = dropExportedClasses(js);
    const read = exportsRead(js);
    for (const name of later?.shares ?? []) read.add(name);
    const [stripped, dropped] = keepExports(wasm, read);
    if (dropped.length) {
      fs.writeFileSync(wasmPath, stripped);
      optimize(wasmPath);
      wasm = fs.readFileSync(wasmPath);
      const importsAfter = new Set(sectionNames(wasm, 2));
      js = dropImportFunctions(js, [...importsBefore].filter((name) => !importsAfter.has(name)));
    }
    const [renamedExports, exportRenames] = renameSection(wasm, 7, null, later);
    wasm = renamedExports;
    js = renameExportsRead(js, exportRenames);
    console.log(`compact-glue: ${dropped.length} unused exports dropped, ${exportRenames.size} renamed`);
  }

  const [renamedImports, renames] = renameSection(wasm, 2, glueModule, later);
  wasm = renamedImports;
  for (const [from, to] of renames) {
    // As a key of the import object: `    __wbg_x_0123456789abcdef: function(`.
    const key = new RegExp(`(^|[\\s{,])${from.replace(/\$/g, '\\$')}(?=\\s*:)`, 'gm');
    const found = js.match(key)?.length ?? 0;
    if (found !== 1) fail(`import ${from} is a key of the glue ${found} times, not once`);
    js = js.replace(key, `$1${to}`);
  }
  js = js.replace(JSON.stringify(glueModule), 'a');
  // The import object's key.
  if (later) {
    const found = js.split(JSON.stringify(LATER_LOADER)).length - 1;
    if (found !== 1) fail(`the glue names ${LATER_LOADER} ${found} times after inlining its loader, not once`);
    js = js.replace(JSON.stringify(LATER_LOADER), JSON.stringify(later.loaderPath));
  }

  const minified = await minify(js, { module: true, compress: { passes: 2 }, mangle: true });
  if (!minified.code) fail('terser returned nothing');
  fs.writeFileSync(jsPath, minified.code);
  fs.writeFileSync(wasmPath, wasm);

  // The staged index.html pins both files by hash.
  const indexPath = path.join(dir, 'index.html');
  let html = fs.readFileSync(indexPath, 'utf8');
  if (release) html = await compactPage(html);
  // trunk named the glue after the main wasm, but with the later module's loader inside, the
  // glue also changes with that module's name: a change to the later screens alone would
  // ship a new glue under an old name, which the server tells browsers to cache for good.
  // The glue is named after its own content instead.
  let glueName = jsName;
  if (later) [html, glueName] = renameByContent(dir, jsName, minified.code, html);
  for (const name of [glueName, wasmName]) {
    const digest = crypto.createHash('sha384').update(fs.readFileSync(path.join(dir, name))).digest('base64');
    html = html.replace(/<link\b[^>]*>/g, (tag) =>
      tag.includes(`/${name}"`) ? tag.replace(/integrity="sha384-[^"]*"/, `integrity="sha384-${digest}"`) : tag,
    );
  }
  fs.writeFileSync(indexPath, html);
  console.log(`compact-glue: ${renames.size} imports renamed, glue ${minified.code.length} bytes`);
}

// Run by trunk (TRUNK_STAGING_DIR, TRUNK_PROFILE) or by hand on a release dist.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
  try {
    if (!dir) fail('give the dist directory, or run as a trunk hook (TRUNK_STAGING_DIR)');
    checkBindgenVersion(fs.readFileSync(path.join(root, 'Cargo.lock'), 'utf8'));
    await compact(dir, (process.env.TRUNK_PROFILE ?? 'release') === 'release');
  } catch (error) {
    console.error(`compact-glue: ${error instanceof GlueError ? error.message : error.stack}`);
    process.exit(1);
  }
}
