/** Marks a result shown from the result cache rather than computed by this run. */
export function CachedBadge() {
  return <span className="badge cached" data-testid="cached-badge" title="from the result cache: same dataset, same expressions, cuts and binning">cached</span>;
}
