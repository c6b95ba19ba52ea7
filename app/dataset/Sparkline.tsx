/** A small bar histogram of a column's values between its min and max. */
export function Sparkline({ bins, label }: { bins: readonly number[]; label: string }) {
  if (bins.length === 0) return null;
  const w = 72;
  const h = 18;
  const max = Math.max(...bins) || 1;
  const bw = w / bins.length;
  return (
    <svg className="sparkline" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      {bins.map((v, i) => {
        const bh = v > 0 ? Math.max(1, (v / max) * h) : 0;
        return <rect key={i} x={i * bw} y={h - bh} width={Math.max(bw - 0.5, 0.5)} height={bh} />;
      })}
    </svg>
  );
}
