import { useApp, useSession } from '../state/context';
import { fmtBytes } from '../format';

/** A link that could not be opened, or the local file an opened link waits for. */
export function ShareNotice() {
  const session = useSession();
  const share = useApp((s) => s.share);
  if (!share) return null;
  if (share.error) {
    return (
      <p className="diag banner-error" role="alert" data-testid="share-error">
        {share.error}{' '}
        <button type="button" className="icon" aria-label="dismiss" onClick={() => session.store.set({ share: undefined })} data-testid="share-error-close">×</button>
      </p>
    );
  }
  const file = share.file;
  if (!file) return null;
  return (
    <div className="banner" role="status" data-testid="share-file" data-name={file.name} data-size={file.size}>
      This link’s analysis reads a local file: open <b data-testid="share-file-name">{file.name}</b> ({fmtBytes(file.size)}, {file.size.toLocaleString('en')} bytes)
      {' '}with the file picker or by dropping it on the page{file.fingerprint ? '; its content is checked against the link' : ''}.
      {file.mismatch && (
        <p className="diag" role="alert" data-testid="share-file-mismatch">
          {file.mismatch}{' '}
          <button type="button" onClick={() => void session.openHeldFile()} data-testid="share-proceed">Open it anyway</button>
        </p>
      )}
    </div>
  );
}
