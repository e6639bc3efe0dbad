// The build's post-build hook (tools/compact-glue.mjs), step by step, on small inputs made
// here. The rest of this suite runs against its real output; these tests pin the cases that
// output may not contain today: strings in the stylesheet, a dropped class still in use, an
// export read by a computed name.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';

// Both are ES modules with top-level await: imported at run time, not required.
let binaryen: any;
let hook: any;
test.beforeAll(async () => {
  binaryen = (await import('binaryen')).default;
  hook = await import('../../tools/compact-glue.mjs');
});

test.skip(({ isMobile }) => !isMobile, 'no browser involved: one project is enough');

/** A wasm-bindgen-like glue: one exported class of a dependency, one finalizer in use. */
const GLUE = `
export class IntoUnderlyingSink {
    free() {
        IntoUnderlyingSinkFinalization.unregister(this);
        wasm.__wbg_intounderlyingsink_free(this.__wbg_ptr, 0);
    }
}
if (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = IntoUnderlyingSink.prototype.free;
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_long_import_0123: function(arg0) { return arg0; },
        __wbg_only_for_dropped: function() { return 1; },
    };
    return { "./x_bg.js": import0 };
}
const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr, 1));
const CLOSURE_DTORS = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(state => wasm.__wbindgen_destroy_closure(state.a, state.b));
let wasm;
function __wbg_init(instance) {
    wasm = instance.exports;
    CLOSURE_DTORS.register({}, {});
    wasm.kept_export();
    return wasm.memory;
}
export { __wbg_init as default };
`;

/** A wasm with two imports from the glue and the exports the glue above would see. */
function smallWasm(): Buffer {
  const m = new binaryen.Module();
  m.addFunctionImport('imported', './x_bg.js', '__wbg_long_import_0123', binaryen.none, binaryen.none);
  m.addFunctionImport('imported2', './x_bg.js', '__wbg_only_for_dropped', binaryen.none, binaryen.none);
  m.addFunction('kept', binaryen.none, binaryen.none, [], m.call('imported', [], binaryen.none));
  m.addFunction('dropped', binaryen.none, binaryen.none, [], m.call('imported2', [], binaryen.none));
  m.addFunctionExport('kept', 'kept_export');
  m.addFunctionExport('kept', '__wbindgen_destroy_closure');
  m.addFunctionExport('dropped', '__wbg_intounderlyingsink_free');
  m.setMemory(1, 1, 'memory');
  const binary = Buffer.from(m.emitBinary());
  m.dispose();
  return binary;
}

const exportNames = (wasm: Buffer) => WebAssembly.Module.exports(new WebAssembly.Module(wasm)).map((e) => e.name);
const importNames = (wasm: Buffer) =>
  WebAssembly.Module.imports(new WebAssembly.Module(wasm)).map((i) => `${i.module}.${i.name}`);

test('the stylesheet loses comments and spaces, never a string', () => {
  const css = `/* the customer's "note", with quotes */
.a ,  .b :hover {
  content: "one ; two , three { }";
  width: calc(100% - 2rem);
  font-family: 'Segoe UI', sans-serif ;
}
@media (min-width: 40rem) { .a { margin: 0 auto; } }`;
  expect(hook.compactCss(css)).toBe(
    `.a,.b :hover{content:"one ; two , three { }";width:calc(100% - 2rem);font-family:'Segoe UI',sans-serif}` +
      `@media (min-width:40rem){.a{margin:0 auto}}`,
  );
});

test('the page loses comments and indentation; its module script is minified, JSON left alone', async () => {
  const page = `<!DOCTYPE html>
<html>
  <head>
    <!-- a note for the page's authors -->
    <style>
      body { margin: 0; }
    </style>
    <script type="application/json">{ "kept":  true }</script>
    <script type="module">
      const greeting = document.title;
      console.log(greeting);
    </script>
  </head>
  <body><p>Two  words</p></body>
</html>`;
  const out = await hook.compactPage(page);
  expect(out).not.toContain('a note for');
  expect(out).toContain('<style>body{margin:0}</style>');
  expect(out).toContain('<script type="application/json">{ "kept":  true }</script>');
  expect(out).toMatch(/<script type="module">const \w=document\.title;console\.log\(\w\);<\/script>/);
  expect(out).toContain('<p>Two  words</p>');
  expect(out).not.toMatch(/\n /);
  await expect(hook.compactPage('<body><pre>  a\n  b</pre></body>')).rejects.toThrow(hook.GlueError);
});

test('unused classes and their exports go, the code they reached with them', () => {
  const js = hook.dropExportedClasses(GLUE);
  expect(js).not.toContain('IntoUnderlyingSink');
  expect(js).toContain('CLOSURE_DTORS');
  const read = hook.exportsRead(js);
  expect([...read].sort()).toEqual(['__wbindgen_destroy_closure', 'kept_export', 'memory']);

  const wasm = smallWasm();
  const [kept, dropped] = hook.keepExports(wasm, read);
  expect(dropped).toEqual(['__wbg_intounderlyingsink_free']);
  expect(exportNames(kept).sort()).toEqual(['__wbindgen_destroy_closure', 'kept_export', 'memory']);

  // wasm-opt then drops `dropped` and its import; the glue's function for that import goes.
  const trimmed = hook.dropImportFunctions(js, ['__wbg_only_for_dropped']);
  expect(trimmed).not.toContain('__wbg_only_for_dropped');
  expect(trimmed).toContain('__wbg_long_import_0123');
  expect(() => hook.dropImportFunctions(js, ['__wbg_not_there'])).toThrow(hook.GlueError);
});

test('exports and imports get short names in the wasm and the glue alike; memory keeps its name', () => {
  const wasm = smallWasm();
  const [renamed, renames] = hook.renameSection(wasm, 7);
  expect(exportNames(renamed).sort()).toEqual(['a', 'b', 'c', 'memory']);
  const js = hook.renameExportsRead(hook.dropExportedClasses(GLUE), renames);
  expect(js).toContain(`wasm.${renames.get('kept_export')}()`);
  expect(js).toContain('wasm.memory');
  expect(js).not.toContain('kept_export');

  const [imports, importRenames] = hook.renameSection(wasm, 2, './x_bg.js');
  expect(importNames(imports)).toEqual(['a.a', 'a.b']);
  expect(importRenames.get('__wbg_long_import_0123')).toBe('a');
  expect(hook.sectionNames(imports, 7)).toEqual(hook.sectionNames(wasm, 7));
  expect(() => hook.renameSection(wasm, 2, './other_bg.js')).toThrow(hook.GlueError);
});

test('a glue it cannot follow stops the build', () => {
  // A dropped class still used elsewhere.
  expect(() => hook.dropExportedClasses(`${GLUE}\nnew IntoUnderlyingSink();`)).toThrow(hook.GlueError);
  // An export read by a computed name: which exports stay cannot be known.
  expect(() => hook.exportsRead('let wasm; wasm["kept_" + "export"]();')).toThrow(hook.GlueError);
  // An export the wasm does not have.
  expect(() => hook.keepExports(smallWasm(), new Set(['kept_export', 'missing']))).toThrow(hook.GlueError);
});

test('a wasm-bindgen other than the one the hook was written for stops the build', () => {
  const lock = (version: string) => `[[package]]\nname = "wasm-bindgen"\nversion = "${version}"\n`;
  expect(() => hook.checkBindgenVersion(lock(hook.WRITTEN_FOR_BINDGEN))).not.toThrow();
  expect(() => hook.checkBindgenVersion(lock('0.2.999'))).toThrow(/0\.2\.999.*written for/);
  expect(() => hook.checkBindgenVersion('')).toThrow(hook.GlueError);
  // The project's own lockfile is the one the hook was written for.
  expect(() => hook.checkBindgenVersion(fs.readFileSync('Cargo.lock', 'utf8'))).not.toThrow();
});

/** What tools/split-link.sh leaves: the later screens' wasm and its loader, as wasm-split-cli writes them. */
function splitDir(extraChunk = false): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'split-'));
  const m = new binaryen.Module();
  m.addFunction('screen', binaryen.none, binaryen.i32, [], m.i32.const(7));
  m.addFunctionExport('screen', 'screen');
  fs.writeFileSync(path.join(dir, 'split_later.wasm'), Buffer.from(m.emitBinary()));
  m.dispose();
  if (extraChunk) fs.copyFileSync(path.join(dir, 'split_later.wasm'), path.join(dir, 'chunk_0.wasm'));
  fs.writeFileSync(
    path.join(dir, '__wasm_split.js'),
    `import { initSync } from "./main.js";
function getSharedImports() {
    const { __indirect_function_table, __wasm_split_shared0, memory,  } = initSync(undefined, undefined);
    return { __indirect_function_table, __wasm_split_shared0, memory };
}
export const __wasm_split_load_later = () => fetch(new URL("./split_later.wasm", import.meta.url)).then(getSharedImports);
`,
  );
  return dir;
}

test('the later screens get a content name, and their loader goes inside the glue', async () => {
  const split = splitDir();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
  const later = await hook.placeLaterModule(split, out);
  expect([...later.shares].sort()).toEqual(['__indirect_function_table', '__wasm_split_shared0', 'memory']);
  const files = fs.readdirSync(out);
  expect(files).toHaveLength(1);
  const [wasm] = files;
  expect(wasm).toMatch(/^later-[0-9a-f]{16}\.wasm$/);
  expect(WebAssembly.Module.exports(new WebAssembly.Module(fs.readFileSync(path.join(out, wasm)))).map((e) => e.name)).toEqual(['screen']);
  expect(later.exported).toEqual(['__wasm_split_load_later']);
  expect(later.loader).toContain(`"./${wasm}"`);
  expect(later.loader).not.toMatch(/main\.js|^\s*(import|export)\b/m);

  // The glue: the loader's import becomes a constant with its functions, and still parses.
  const glue = `import * as import1 from "./__wasm_split.js"
function initSync() { return {}; }
function __wbg_get_imports() { return { "./x_bg.js": {}, "./__wasm_split.js": import1 }; }
export { initSync };`;
  const inlined = hook.inlineLoader(glue, later);
  expect(inlined).not.toContain('import * as');
  expect(inlined).toContain('const import1 = (() => {');
  expect(inlined).toContain('return { __wasm_split_load_later };');
  expect(() => hook.exportsRead(`${inlined}\nlet wasm; wasm.memory;`)).not.toThrow();
  expect(() => hook.inlineLoader(glue.replace('* as import1', '{ x as import1 }'), later)).toThrow(hook.GlueError);

  // The main wasm: the loader's import gets its short module name; the exports the loader
  // reads keep theirs.
  const m = new binaryen.Module();
  m.addFunctionImport('load', './__wasm_split.js', '__wasm_split_load_later', binaryen.none, binaryen.none);
  m.addFunctionImport('glue', './x_bg.js', '__wbg_long_import_0123', binaryen.none, binaryen.none);
  m.addFunction('f', binaryen.none, binaryen.none, [], m.block(null, [m.call('load', [], binaryen.none), m.call('glue', [], binaryen.none)]));
  m.addFunctionExport('f', 'long_export_name');
  m.addGlobal('shared', binaryen.i32, true, m.i32.const(0));
  m.addGlobalExport('shared', '__wasm_split_shared0');
  m.setMemory(1, 1, 'memory');
  const main = Buffer.from(m.emitBinary());
  m.dispose();
  const [imports] = hook.renameSection(main, 2, './x_bg.js', later);
  expect(importNames(imports)).toEqual([`${later.loaderPath}.__wasm_split_load_later`, 'a.a']);
  const [exports] = hook.renameSection(main, 7, null, later);
  expect(exportNames(exports).sort()).toEqual(['__wasm_split_shared0', 'a', 'memory']);
});

test('a split it does not expect stops the build', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
  await expect(hook.placeLaterModule(splitDir(true), out)).rejects.toThrow(hook.GlueError);
});

test('the glue is named after its final content, and the page follows', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
  const name = 'app-0123456789abcdef.js';
  fs.writeFileSync(path.join(dir, name), 'old');
  const html = `<link rel="modulepreload" href="/${name}"><script type="module">import("/${name}")</script>`;
  const [page, renamed] = hook.renameByContent(dir, name, 'export const a = 1;', html);
  expect(renamed).toMatch(/^app-[0-9a-f]{16}\.js$/);
  expect(renamed).not.toBe(name);
  expect(fs.existsSync(path.join(dir, renamed))).toBe(true);
  expect(fs.existsSync(path.join(dir, name))).toBe(false);
  expect(page).not.toContain(name);
  expect(page.split(`/${renamed}`)).toHaveLength(3);
  // Another content, another name.
  const [, other] = hook.renameByContent(dir, renamed, 'export const a = 2;', page);
  expect(other).not.toBe(renamed);
  // A page that names the glue once (no bootstrap import) stops the build.
  fs.writeFileSync(path.join(dir, name), 'old');
  expect(() => hook.renameByContent(dir, name, 'x', `<link href="/${name}">`)).toThrow(hook.GlueError);
  // trunk writes its hash without leading zeros: a 15-digit name is one of its names too.
  const short = 'app-5186ebbe8904933.js';
  fs.writeFileSync(path.join(dir, short), 'old');
  const [, fromShort] = hook.renameByContent(dir, short, 'x', `<link href="/${short}"><script>import("/${short}")</script>`);
  expect(fromShort).toMatch(/^app-[0-9a-f]{16}\.js$/);
});
