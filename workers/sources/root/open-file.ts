// Opens a ROOT file through jsroot, reading every byte through our ByteReader
// (so Blob, URL range reads and Node paths behave the same), and finds the tree.
import { FileProxy, openFile, type RootDirectory, type RootFile, type RootKey, type RootTree } from 'jsroot/io';
import { EngineError } from '../../engine/errors';
import type { ByteReader } from '../source';
import { asBadFile, badFile } from '../bad-file';
import { timeBox } from './time-box';
import { installGuards } from './guards';

installGuards();

/** Generous: a directory and its streamer infos are a few reads, even over a slow link. */
const OPEN_TIME_LIMIT_MS = 60_000;
const TREE_CLASSES = new Set(['TTree', 'TNtuple', 'TNtupleD']);
/** Bookkeeping keys that are not user objects. */
const HIDDEN_KEYS = new Set(['StreamerInfo', 'KeysList', 'FreeSegments']);

export interface OpenedTree {
  file: RootFile;
  tree: RootTree;
  /** path of the tree in the file, e.g. `events` or `dir/events` */
  path: string;
  notes: string[];
}

class ReaderProxy extends FileProxy {
  constructor(private readonly reader: ByteReader) {
    super();
  }
  override async openFile() { return true; }
  override getFileName() { return this.reader.name; }
  override getFileSize() { return this.reader.size; }
  override async readBuffer(pos: number, size: number): Promise<DataView> {
    const bytes = await this.reader.read(pos, size);
    if (bytes.byteLength < size) {
      throw badFile(this.reader.name, `the file ends at byte ${this.reader.size}, before the data at bytes ${pos}–${pos + size}; is it truncated?`);
    }
    return new DataView(bytes.buffer, bytes.byteOffset, size);
  }
}

export async function openTree(reader: ByteReader, treeName: string | undefined, signal?: AbortSignal, timeLimitMs = OPEN_TIME_LIMIT_MS): Promise<OpenedTree> {
  await checkHeader(reader);
  signal?.throwIfAborted();
  const file = await timeBox(openFile(new ReaderProxy(reader)), timeLimitMs, reader.name, 'reading the file directory');
  try {
    const keys = await timeBox(listKeys(file), timeLimitMs, reader.name, 'reading the directories');
    signal?.throwIfAborted();
    const path = chooseTree(keys, treeName, reader.name);
    const tree = await timeBox(file.readObject(path) as Promise<RootTree>, timeLimitMs, reader.name, `reading tree ${path}`);
    if (!tree || !TREE_CLASSES.has(tree._typename) || !Array.isArray(tree.fBranches?.arr) || !(tree.fEntries >= 0)) {
      throw badFile(reader.name, `${path} could not be read as a tree`);
    }
    const others = keys.filter((k) => !TREE_CLASSES.has(k.className)).map((k) => `${k.className} ${k.path}`);
    const otherTrees = keys.filter((k) => TREE_CLASSES.has(k.className) && k.path !== path).map((k) => k.path);
    const notes = [`tree ${path} (${tree._typename}, ${tree.fEntries} entries)`, `compression ${compression(file.fCompress)}`];
    if (otherTrees.length > 0) notes.push(`other trees: ${otherTrees.join(', ')}`);
    if (others.length > 0) notes.push(`not trees, not read: ${others.join(', ')}`);
    return { file, tree, path, notes };
  } catch (e) {
    file.delete();
    throw asBadFile(e, reader.name, 'reading the tree');
  }
}

/** Magic and declared length, checked before jsroot sees the file: a truncated file fails here, plainly. */
async function checkHeader(reader: ByteReader): Promise<void> {
  const head = await reader.read(0, 64);
  if (!sniffRoot(head)) throw badFile(reader.name, 'not a ROOT file (it does not start with "root")');
  if (head.byteLength < 33) throw badFile(reader.name, `the file is only ${reader.size} bytes long; it is truncated`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const version = view.getUint32(4);
  const end = version >= 1_000_000 ? view.getUint32(12) * 2 ** 32 + view.getUint32(16) : view.getUint32(12);
  if (end > reader.size) {
    throw badFile(reader.name, `the header says the file is ${end} bytes long but it has ${reader.size}; it is truncated`);
  }
}

export function sniffRoot(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x72 && head[1] === 0x6f && head[2] === 0x6f && head[3] === 0x74;
}

interface KeyEntry { path: string; className: string }

/** Every object in the file and its sub-directories, highest cycle only (as ROOT's Get does). */
async function listKeys(dir: RootDirectory, prefix = '', depth = 0): Promise<KeyEntry[]> {
  const best = new Map<string, RootKey>();
  for (const key of dir.fKeys) {
    if (HIDDEN_KEYS.has(key.fName) && prefix === '') continue;
    const seen = best.get(key.fName);
    if (!seen || key.fCycle > seen.fCycle) best.set(key.fName, key);
  }
  const out: KeyEntry[] = [];
  for (const key of best.values()) {
    const path = prefix + key.fName;
    if (key.fClassName === 'TDirectory' || key.fClassName === 'TDirectoryFile') {
      if (depth < 8) out.push(...await listKeys(await dir.readDirectory(key.fName, key.fCycle), `${path}/`, depth + 1));
    } else {
      out.push({ path, className: key.fClassName });
    }
  }
  return out;
}

function chooseTree(keys: KeyEntry[], wanted: string | undefined, name: string): string {
  const trees = keys.filter((k) => TREE_CLASSES.has(k.className));
  const listing = trees.length > 0 ? `trees in the file: ${trees.map((t) => t.path).join(', ')}` : noTrees(keys);
  if (wanted !== undefined) {
    const path = wanted.replace(/^\/+/, '').replace(/;\d+$/, '');
    const key = keys.find((k) => k.path === path);
    if (key && TREE_CLASSES.has(key.className)) return path;
    if (key) throw new EngineError('BadDataset', `${name}: ${path} is a ${key.className}, not a tree; ${listing}`);
    throw new EngineError('BadDataset', `${name}: there is no tree ${path}; ${listing}`);
  }
  if (trees.length === 1) return trees[0]!.path;
  if (trees.length === 0) throw new EngineError('BadDataset', `${name}: ${listing}`);
  throw new EngineError('BadDataset', `${name}: the file holds ${trees.length} trees; name one in the dataset ("tree": "…"); ${listing}`);
}

function noTrees(keys: KeyEntry[]): string {
  if (keys.length === 0) return 'the file holds no objects';
  const rntuple = keys.find((k) => /RNTuple/.test(k.className));
  const what = keys.slice(0, 10).map((k) => `${k.className} ${k.path}`).join(', ') + (keys.length > 10 ? ', …' : '');
  return `the file holds no TTree or TNtuple (it holds ${what})${rntuple ? '; RNTuple is not read yet' : ''}`;
}

/** ROOT's fCompress = 100 × algorithm + level. */
function compression(setting: number): string {
  if (!setting) return 'none';
  const algorithm = ['zlib', 'zlib', 'lzma', 'old', 'lz4', 'zstd'][Math.floor(setting / 100)] ?? `algorithm ${Math.floor(setting / 100)}`;
  return `${algorithm} level ${setting % 100}`;
}
