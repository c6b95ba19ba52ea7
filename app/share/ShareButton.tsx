import { useRef, useState } from 'react';
import { useSession } from '../state/context';
import { shareUrl } from './fragment';
import { encodeLink } from './link';

type Shared = { url: string; copied: boolean } | { error: string };

/** Copies a link holding the whole analysis; the link also stays in a field, for when the clipboard is refused. */
export function ShareButton() {
  const session = useSession();
  const [shared, setShared] = useState<Shared | undefined>();
  const field = useRef<HTMLInputElement>(null);

  const share = async () => {
    const s = session.shareable();
    if ('error' in s) { setShared({ error: `Nothing to share yet: ${s.error}.` }); return; }
    let url: string;
    try {
      url = shareUrl(await encodeLink(s.doc));
    } catch (e) {
      setShared({ error: `This analysis can't be shared as a link: ${e instanceof Error ? e.message : String(e)}.` });
      return;
    }
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch { /* refused (no permission, no focus, not a secure context): the field below holds it */ }
    setShared({ url, copied });
    requestAnimationFrame(() => field.current?.select());
  };

  return (
    <div className="share">
      <button type="button" onClick={() => void share()} data-testid="share" title="Copy a link that holds this analysis (nothing is uploaded)">Share</button>
      {shared && (
        <div className="share-pop" role="dialog" aria-label="share link">
          {'error' in shared ? <p className="diag" role="alert" data-testid="share-status">{shared.error}</p> : (
            <>
              <p className="note" role="status" data-testid="share-status" data-copied={String(shared.copied)}>
                {shared.copied ? 'Link copied to the clipboard.' : 'The clipboard is not available here: copy the link from this field.'}
              </p>
              <input ref={field} type="text" readOnly value={shared.url} aria-label="share link" data-testid="share-link" onFocus={(e) => e.currentTarget.select()} />
            </>
          )}
          <button type="button" className="icon" aria-label="close" onClick={() => setShared(undefined)} data-testid="share-close">×</button>
        </div>
      )}
    </div>
  );
}
