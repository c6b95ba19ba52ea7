// Mutation fuzzing of the share-link decoder (issue 7): damaged payloads, damaged
// deflate streams and damaged JSON inside valid compression. Every case must answer
// within the time box with an error or a document that re-encodes to itself; it
// must never throw.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../workers/analysis';
import { defaultAnalysis } from '../../workers/demo/datasets';
import { seededRandom } from '../../workers/expr/random';
import { valueCase } from '../../workers/testing/fuzz/harness';
import { mutate, mutateText } from '../../workers/testing/fuzz/mutate';
import { decodeLink, encodeLink, type DecodedLink } from './link';

const CASES = 600;

const seeds = async () => Promise.all([
  defaultAnalysis(),
  { version: 1 as const, dataset: { kind: 'file' as const, name: 'événements.csv', size: 123456, fingerprint: `sha256:${'ab'.repeat(32)}` }, histograms: [] },
  { version: 1 as const, dataset: { kind: 'url' as const, url: 'https://example.org/data/run.parquet', format: 'parquet' as const },
    filters: [{ name: 'z', expr: 'cat == "β" && z > 0.5' }], histograms: [{ name: 'h', x: { expr: 'x', bins: 10, lo: 0, hi: 1 } }] },
].map((d) => encodeLink(d)));

/** A decoded document must be one a link can carry again, unchanged. */
async function accept(r: DecodedLink): Promise<string | null> {
  if (!r.ok) return typeof r.error === 'string' && r.error.length > 0 ? null : 'an error without a message';
  const again = await decodeLink(await encodeLink(r.doc));
  if (!again.ok) return `a decoded document does not survive a round trip: ${again.error}`;
  return canonicalize(again.doc) === canonicalize(r.doc) ? null : 'a decoded document changes on a round trip';
}

describe('share-link decoder under mutation', () => {
  it(`${CASES} damaged links: an error or a valid document, never a throw or a hang`, async () => {
    const rng = seededRandom(20261121);
    const payloads = await seeds();
    const counts = { ok: 0, error: 0 };
    const failures: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const seed = payloads[Math.floor(rng() * payloads.length)]!;
      const r = rng();
      let payload: string;
      let how: string;
      if (r < 0.35) {
        payload = mutateText(seed, rng);
        how = 'payload text';
      } else if (r < 0.7) {
        payload = Buffer.from(mutate(new Uint8Array(Buffer.from(seed, 'base64url')), rng).bytes).toString('base64url');
        how = 'deflate bytes';
      } else {
        const json = inflateRawSync(Buffer.from(seed, 'base64url')).toString('utf8');
        payload = deflateRawSync(Buffer.from(mutateText(json, rng))).toString('base64url');
        how = 'JSON text';
      }
      let verdict: DecodedLink | undefined;
      const outcome = await valueCase(async () => (verdict = await decodeLink(payload)), () => null, 5000);
      const problem = outcome.verdict === 'ok' ? await accept(verdict!) : `${outcome.verdict}: ${outcome.detail}`;
      if (problem) failures.push(`#${i} (${how}) ${problem}: ${payload.slice(0, 80)}`);
      else counts[verdict!.ok ? 'ok' : 'error']++;
    }
    process.stdout.write(`fuzz link: ${CASES} cases (documents ${counts.ok}, clean errors ${counts.error})\n`);
    expect(failures).toEqual([]);
    // some mutations leave a valid document (whitespace, a changed letter in a name), most don't
    expect(counts.ok).toBeGreaterThan(0);
    expect(counts.error).toBeGreaterThan(0);
  }, 60_000);
});
