import { useApp, useSession } from '../state/context';
import { fmtBytes } from '../format';

/** A link that could not be opened, the local file an opened link waits for, or the other site it would read. */
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
  if (share.remote) {
    return (
      <div className="banner" role="status" data-testid="share-remote" data-url={share.remote.url}>
        This link’s analysis reads data from another site, <b data-testid="share-remote-host">{share.remote.host}</b>
        {' '}(<span className="mono" data-testid="share-remote-url">{share.remote.url}</span>). Sift contacts that site only if you ask.
        {' '}<button type="button" onClick={() => void session.openSharedRemote()} data-testid="share-fetch">Fetch the data from {share.remote.host}</button>
      </div>
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
