// Fails when the project's own modules import each other in a cycle, type-only imports included. ESLint's
// import-x/no-cycle skips `import type`, yet a type cycle still ties two modules together (a type defined in a
// component file that the component's own helpers import is the usual case), so this walks every relative
// import and re-export with the TypeScript pre-processor and reports each cycle as a chain of files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOTS = ['src', 'emulator', 'e2e', 'bench', 'scripts'];
const root = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    // Installed packages are not the project's modules (bench/rsi has its own install, decision 135).
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const files = ROOTS.flatMap((r) => sourceFiles(join(root, r)));
const known = new Set(files);
const graph = new Map<string, string[]>();
for (const file of files) {
  // preProcessFile lists `import`, `import type`, `export … from` and dynamic imports alike.
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets = importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolve(dirname(file), spec))
    .filter((target) => known.has(target));
  graph.set(file, targets);
}

// Tarjan's strongly connected components: every component with more than one file (or a self-import) is a cycle.
let index = 0;
const indexOf = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const cycles: string[][] = [];
function visit(v: string): void {
  indexOf.set(v, index);
  low.set(v, index);
  index++;
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!indexOf.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, indexOf.get(w) as number));
  }
  if (low.get(v) !== indexOf.get(v)) return;
  const component: string[] = [];
  let w: string;
  do {
    w = stack.pop() as string;
    onStack.delete(w);
    component.push(w);
  } while (w !== v);
  if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component);
}
for (const f of files) if (!indexOf.has(f)) visit(f);

if (cycles.length === 0) {
  console.log(`import cycles: none among ${files.length} files (type-only imports included)`);
} else {
  for (const c of cycles)
    console.error(
      `import cycle (type-only imports included): ${c
        .map((f) => relative(root, f))
        .sort()
        .join(' ↔ ')}`,
    );
  console.error(`${cycles.length} import cycle(s): move the shared types or code to a module both sides can import.`);
  process.exitCode = 1;
}
