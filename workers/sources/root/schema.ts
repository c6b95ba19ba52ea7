// From a TTree's branches to Sift columns. Naming:
//   flat branch            `pt/F`            → `pt`
//   fixed array            `p[3]/D`          → `p[0]` `p[1]` `p[2]`; `m[2][3]` → `m[0][0]` … `m[1][2]` (row-major)
//   leaf list              `vtx` = `x/D:y/D:n/I` → `vtx.x` `vtx.y` `vtx.n` (RDataFrame's names); arrays as above
//   string                 `name/C`          → `name`, a dictionary column
//   jagged                 `Jet_pt[nJet]/F`  → listed in `jagged`, counter `nJet`
// Columns take the branch name, not the leaf name (they differ in some files).
import type { RootBranch, RootLeaf, RootTree } from 'jsroot/io';
import type { ColumnType } from '../../store/types';
import type { JaggedColumn, SourceColumn } from '../source';
import { basketRefs, type BasketRef } from './baskets';

export type LeafKind = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'i64' | 'u64' | 'f32' | 'f64' | 'bool' | 'str';

export const KIND_BYTES: Record<LeafKind, number> = {
  i8: 1, u8: 1, bool: 1, i16: 2, u16: 2, i32: 4, u32: 4, f32: 4, i64: 8, u64: 8, f64: 8, str: 0,
};

const KIND_TYPE: Record<LeafKind, ColumnType> = {
  i8: 'i32', i16: 'i32', i32: 'i32', u8: 'u32', u16: 'u32', u32: 'u32',
  i64: 'i64', u64: 'u64', f32: 'f32', f64: 'f64', bool: 'bool', str: 'dict',
};

/** One branch's baskets; shared by every column cut from it. */
export interface BranchPlan {
  name: string;
  branch: RootBranch;
  baskets: BasketRef[];
  /** bytes per entry for fixed-size branches; 0 for strings and jagged arrays */
  entrySize: number;
}

export interface ColumnPlan {
  info: SourceColumn;
  branch: BranchPlan;
  kind: LeafKind;
  /** byte offset of the value inside one entry */
  offset: number;
}

export interface JaggedPlan {
  info: JaggedColumn;
  branch: BranchPlan;
  kind: Exclude<LeafKind, 'str'>;
  /** the counter's own column: per-entry element counts when baskets carry no offsets */
  counter: ColumnPlan;
}

export interface TreePlan {
  columns: ColumnPlan[];
  jagged: JaggedPlan[];
  unsupported: { name: string; reason: string }[];
}

export function planTree(tree: RootTree): TreePlan {
  const plan: TreePlan = { columns: [], jagged: [], unsupported: [] };
  const used = new Set<string>();
  const byLeaf = new Map<RootLeaf, ColumnPlan>();
  const pendingJagged: { branch: RootBranch; leaf: RootLeaf; kind: Exclude<LeafKind, 'str'>; baskets: BasketRef[] }[] = [];

  const unsupported = (name: string, reason: string) => plan.unsupported.push({ name, reason });
  const addColumn = (bp: BranchPlan, name: string, kind: LeafKind, offset: number, leaf: RootLeaf | null) => {
    if (used.has(name)) return unsupported(name, 'another column already has this name');
    used.add(name);
    const info: SourceColumn = { name, type: KIND_TYPE[kind] };
    const description = describe(bp.branch);
    if (description) info.description = description;
    const column: ColumnPlan = { info, branch: bp, kind, offset };
    plan.columns.push(column);
    if (leaf) byLeaf.set(leaf, column);
  };

  const visit = (branch: RootBranch) => {
    const name = branch.fName;
    if (branch._typename !== 'TBranch') {
      const what = branch.fClassName ? `class ${branch.fClassName} (${branch._typename})` : branch._typename;
      return unsupported(name, `${what}: objects, std::vector and other classes are not read; only branches of numbers, strings and arrays of them are`);
    }
    const leaves = (branch.fLeaves?.arr ?? []).filter((l): l is RootLeaf => Boolean(l));
    if (leaves.length === 0) return unsupported(name, 'the branch has no leaves');
    if (branch.fEntries !== tree.fEntries) {
      return unsupported(name, `the branch has ${branch.fEntries} entries, the tree ${tree.fEntries}`);
    }
    const kinds = leaves.map(leafKind);
    const bad = leaves.findIndex((_, i) => kinds[i] === null);
    if (bad >= 0) return unsupported(name, unsupportedLeaf(leaves[bad]!));
    let baskets: BasketRef[];
    try {
      baskets = basketRefs(branch, tree.fEntries);
    } catch (e) {
      return unsupported(name, (e as Error).message);
    }

    if (leaves.length === 1) {
      const leaf = leaves[0]!;
      const kind = kinds[0]!;
      if (leaf.fLeafCount) {
        if (kind === 'str') return unsupported(name, 'variable-length arrays of strings are not read');
        if (leaf.fLen > 1) return unsupported(name, `variable-length array of fixed arrays (${leaf.fTitle}) is not read`);
        pendingJagged.push({ branch, leaf, kind, baskets });
        return;
      }
      const bp: BranchPlan = { name, branch, baskets, entrySize: kind === 'str' ? 0 : KIND_BYTES[kind] * leaf.fLen };
      if (kind === 'str') return addColumn(bp, name, 'str', 0, leaf);
      elementNames(name, leaf).forEach((n, i) => addColumn(bp, n, kind, i * KIND_BYTES[kind], i === 0 ? leaf : null));
      return;
    }

    // a leaf list: one fixed-size record per entry, leaves one after another
    if (leaves.some((l, i) => kinds[i] === 'str' || l.fLeafCount)) {
      return unsupported(name, 'leaf lists with a string or variable-length leaf are not read');
    }
    const bp: BranchPlan = { name, branch, baskets, entrySize: 0 };
    let offset = 0;
    leaves.forEach((leaf, i) => {
      const kind = kinds[i]!;
      elementNames(`${name}.${leaf.fName}`, leaf).forEach((n, j) => addColumn(bp, n, kind, offset + j * KIND_BYTES[kind], null));
      offset += KIND_BYTES[kind] * leaf.fLen;
    });
    bp.entrySize = offset;
  };

  const walk = (branches: RootBranch[]) => {
    for (const b of branches) {
      if (!b) continue;
      visit(b);
      if (b._typename === 'TBranch') walk((b.fBranches?.arr ?? []).filter((c): c is RootBranch => Boolean(c)));
    }
  };
  walk(tree.fBranches.arr.filter((b): b is RootBranch => Boolean(b)));

  for (const { branch, leaf, kind, baskets } of pendingJagged) {
    const counter = findCounter(leaf.fLeafCount!, byLeaf, plan.columns);
    if (!counter) {
      unsupported(branch.fName, `its counter ${leaf.fLeafCount!.fName} is not a readable integer branch`);
      continue;
    }
    if (used.has(branch.fName)) {
      unsupported(branch.fName, 'another column already has this name');
      continue;
    }
    used.add(branch.fName);
    const bp: BranchPlan = { name: branch.fName, branch, baskets, entrySize: 0 };
    const info: JaggedColumn = { name: branch.fName, elementType: KIND_TYPE[kind], counter: counter.info.name };
    plan.jagged.push({ info, branch: bp, kind, counter });
  }
  return plan;
}

function leafKind(leaf: RootLeaf): LeafKind | null {
  const u = leaf.fIsUnsigned;
  switch (leaf._typename) {
    case 'TLeafB': return u ? 'u8' : 'i8';
    case 'TLeafS': return u ? 'u16' : 'i16';
    case 'TLeafI': return u ? 'u32' : 'i32';
    // TLeafG is Long_t, written as 8 bytes like Long64_t
    case 'TLeafL': case 'TLeafG': return u ? 'u64' : 'i64';
    case 'TLeafF': return 'f32';
    case 'TLeafD': return 'f64';
    case 'TLeafO': return 'bool';
    case 'TLeafC': return 'str';
    default: return null;
  }
}

function unsupportedLeaf(leaf: RootLeaf): string {
  if (leaf._typename === 'TLeafF16' || leaf._typename === 'TLeafD32') {
    return `${leaf._typename === 'TLeafF16' ? 'Float16_t' : 'Double32_t'} leaf ${leaf.fName}: stored packed, not read yet`;
  }
  return `leaf ${leaf.fName} of type ${leaf._typename} is not read`;
}

/** `x[2][3]` with fLen 6 → `x[0][0]` … `x[1][2]`; fLen 1 → `x`. */
function elementNames(base: string, leaf: RootLeaf): string[] {
  if (leaf.fLen <= 1) return [base];
  const dims = [...leaf.fTitle.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  const fits = dims.length > 0 && dims.reduce((a, b) => a * b, 1) === leaf.fLen;
  const shape = fits ? dims : [leaf.fLen];
  const names: string[] = [];
  for (let i = 0; i < leaf.fLen; i++) {
    let rest = i;
    let suffix = '';
    for (let d = shape.length - 1; d >= 0; d--) {
      suffix = `[${rest % shape[d]!}]` + suffix;
      rest = Math.floor(rest / shape[d]!);
    }
    names.push(base + suffix);
  }
  return names;
}

const INTEGER_KINDS = new Set<LeafKind>(['i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64']);

function findCounter(leaf: RootLeaf, byLeaf: Map<RootLeaf, ColumnPlan>, columns: ColumnPlan[]): ColumnPlan | null {
  const column = byLeaf.get(leaf) ?? columns.find((c) => c.branch.branch.fLeaves.arr.length === 1 && c.branch.branch.fLeaves.arr[0]?.fName === leaf.fName);
  if (!column || !INTEGER_KINDS.has(column.kind) || column.branch.branch.fLeaves.arr[0]?.fLen !== 1) return null;
  return column;
}

/** A title that is more than the leaf spec (`pt/F`, `x/D:y/I`) describes the branch (NanoAOD's docs). */
function describe(branch: RootBranch): string | undefined {
  const t = branch.fTitle?.trim();
  if (!t || t === branch.fName) return undefined;
  return /^[\w.]+(\[\w+\])*(\/\w)?(:[\w.]+(\[\w+\])*(\/\w)?)*$/.test(t) ? undefined : t;
}
