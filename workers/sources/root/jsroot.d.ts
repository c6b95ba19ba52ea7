// The few parts of jsroot (no TypeScript types of its own) that Sift uses:
// file and directory reading, object streaming and the basket codecs from
// 'jsroot/io'; 'jsroot/tree' only in tests, as an independent reader.
// The object shapes are what jsroot's streamers produce from ROOT's classes.

declare module 'jsroot/io' {
  export interface RootList<T> { arr: (T | null | undefined)[] }

  /** jsroot's reading buffer; only what workers/sources/root/guards.ts wraps */
  export class TBuffer {
    remain(): number;
    readFastArray(n: number, type: number): unknown;
    readNdimArray(handle: { fArrayDim: number; fMaxIndex: number[]; fArrayLength: number }, func: (...a: unknown[]) => unknown): unknown;
  }

  export interface RootKey {
    fName: string;
    fClassName: string;
    fCycle: number;
    fTitle: string;
  }

  export interface RootLeaf {
    _typename: string;
    fName: string;
    fTitle: string;
    /** elements per entry (product of fixed dimensions) */
    fLen: number;
    fLenType: number;
    fIsUnsigned: boolean;
    /** the leaf holding the per-entry element count of `x[n]` */
    fLeafCount: RootLeaf | null;
  }

  /** A TBasket as streamed inside its TBranch (baskets not yet written when the tree was saved). */
  export interface RootEmbeddedBasket {
    fKeylen: number;
    fNevBuf: number;
    fLast: number;
    fEntryOffset?: ArrayLike<number>;
    /** bytes [fKeylen, fLast) of the basket */
    fBufferRef?: { arr: DataView; length: number } | null;
  }

  export interface RootBranch {
    _typename: string;
    fName: string;
    fTitle: string;
    fClassName?: string;
    fEntries: number;
    fEntryOffsetLen: number;
    fWriteBasket: number;
    fMaxBaskets: number;
    fBasketEntry: ArrayLike<number>;
    fBasketSeek: ArrayLike<number>;
    fBasketBytes: ArrayLike<number>;
    fBaskets: RootList<RootEmbeddedBasket>;
    fBranches: RootList<RootBranch>;
    fLeaves: RootList<RootLeaf>;
    fFileName?: string;
  }

  export interface RootTree {
    _typename: string;
    fName: string;
    fTitle: string;
    fEntries: number;
    fBranches: RootList<RootBranch>;
  }

  export interface RootDirectory {
    fKeys: RootKey[];
    readObject(name: string, cycle?: number): Promise<unknown>;
    readDirectory(name: string, cycle?: number): Promise<RootDirectory>;
  }

  export interface RootFile extends RootDirectory {
    fEND: number;
    fCompress: number;
    delete(): void;
  }

  /** Subclass to let jsroot read through any byte source. */
  export class FileProxy {
    openFile(): Promise<boolean>;
    getFileName(): string;
    getFileSize(): number;
    readBuffer(pos: number, size: number): Promise<DataView | null>;
    closeFile(): void;
  }

  export function openFile(arg: FileProxy | string | ArrayBuffer | Blob, opts?: { timeout?: number }): Promise<RootFile>;

  /** Inflates one ROOT-compressed buffer (zlib, lzma, lz4, zstd), starting at byte `shift`; null on failure. */
  export function R__unzip(src: DataView, targetSize: number, noAlert?: boolean, shift?: number): Promise<DataView | null>;
}

declare module 'jsroot/tree' {
  import type { RootTree } from 'jsroot/io';

  export class TSelector {
    tgtobj: Record<string, unknown>;
    addBranch(branch: string, name?: string, direct?: boolean): number;
    Begin(tree: RootTree): void;
    Process(entry: number): void;
    Terminate(ok: boolean): void;
  }

  export function treeProcess(tree: RootTree, selector: TSelector, args?: { firstentry?: number; numentries?: number }): Promise<TSelector>;
}
