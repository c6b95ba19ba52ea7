// The page's URL fragment as the analysis: read at start-up and on hashchange,
// rewritten (history.replaceState, no new history entry) after each edit so a
// reload keeps the analysis.
import type { AnalysisDoc } from '../../workers/analysis';
import { decodeLink, encodeLink, LINK_PREFIX, payloadOfHash, type DecodedLink } from './link';

/** The link in the page's fragment, if there is one. */
export function readFragment(): Promise<DecodedLink> | undefined {
  const payload = payloadOfHash(location.hash);
  return payload === undefined ? undefined : decodeLink(payload);
}

/** The address to share: this page without its query (engine width and demo size are the recipient's). */
export function shareUrl(payload: string): string {
  return `${location.origin}${location.pathname}${LINK_PREFIX}${payload}`;
}

/** Writes documents into the fragment in the order they were given, however long each encoding takes. */
export class FragmentWriter {
  private seq = 0;

  async write(doc: AnalysisDoc): Promise<void> {
    const mine = ++this.seq;
    let payload: string;
    try {
      payload = await encodeLink(doc);
    } catch {
      return; // too large for a link: the fragment keeps the last one that fitted
    }
    if (mine !== this.seq) return;
    const hash = `${LINK_PREFIX}${payload}`;
    if (location.hash !== hash) history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
  }
}
