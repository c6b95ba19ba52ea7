// Arrow IPC: the file format (Feather v2) is read batch by batch through its
// footer; the stream format, which has no index, is read whole into memory.
// apache-arrow decodes the batches; Sift copies the columns it is asked for.
import type { SourceFormat } from '../source';
import { ArrowSource } from './ArrowSource';
import { registerCodecs } from './codecs';
import { asBadFile, badFile } from '../bad-file';
import { FileBatches } from './FileBatches';
import { StreamBatches } from './StreamBatches';

export { ArrowSource } from './ArrowSource';
export { FileBatches } from './FileBatches';
export { StreamBatches } from './StreamBatches';
export { NULL_STRING } from './values';

registerCodecs();

export const arrowFormat: SourceFormat = {
  id: 'arrow',
  extensions: ['arrow', 'feather', 'ipc', 'arrows'],
  sniff: (head) => isFile(head) || (head.length >= 4 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff),
  async open(reader, opts) {
    const head = await reader.read(0, 8);
    if (String.fromCharCode(...head.subarray(0, 4)) === 'FEA1') {
      throw badFile(reader.name, 'a Feather v1 file, which Sift does not read; save it again as Feather v2 (Arrow IPC), e.g. pyarrow.feather.write_feather(df, path)');
    }
    const batches = isFile(head) ? await FileBatches.open(reader, opts.signal) : await StreamBatches.open(reader, opts.signal);
    try {
      return new ArrowSource(reader.name, batches);
    } catch (e) {
      throw asBadFile(e, reader.name, 'reading the Arrow schema');
    }
  },
};

/** "ARROW1" */
function isFile(head: Uint8Array): boolean {
  return head.length >= 6 && head[0] === 0x41 && head[1] === 0x52 && head[2] === 0x52 && head[3] === 0x4f && head[4] === 0x57 && head[5] === 0x31;
}
