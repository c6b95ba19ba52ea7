// ROOT TTree/TNtuple files. jsroot reads the file's directory, streamer infos
// and the TTree object, and inflates baskets (zlib, lzma, lz4, zstd); Sift
// decodes the basket bytes itself, straight into the engine's pages. Only
// 'jsroot/io' is imported: 'jsroot/tree' would bring TTree::Draw's
// expression compiler (new Function) and drawing helpers into the worker.
import { EngineError } from '../../engine/errors';
import type { Source, SourceFormat } from '../source';
import type { JaggedValues } from './decode';
import { asBadFile } from '../bad-file';
import { openTree, sniffRoot } from './open-file';
import { DEFAULT_CHUNK_ROWS, RootSource } from './RootSource';

export type { JaggedValues } from './decode';
export { RootSource } from './RootSource';

export const rootFormat: SourceFormat = {
  id: 'root',
  extensions: ['root'],
  sniff: sniffRoot,
  async open(reader, opts) {
    const opened = await openTree(reader, opts.tree, opts.signal);
    try {
      return new RootSource(reader, opened, opts.chunkRows ?? DEFAULT_CHUNK_ROWS);
    } catch (e) {
      opened.file.delete();
      throw asBadFile(e, reader.name, `reading the branches of ${opened.path}`);
    }
  },
};

/**
 * Entries [first, first + count) of one jagged branch (`Jet_pt[nJet]`) as
 * per-entry offsets (count + 1) into one Float64Array of elements.
 */
export function readJaggedBranch(source: Source, branch: string, first: number, count: number, signal?: AbortSignal): Promise<JaggedValues> {
  if (!(source instanceof RootSource)) throw new EngineError('UnknownColumn', `${branch}: jagged branches come from ROOT files only`);
  return source.readJagged(branch, first, count, signal);
}
