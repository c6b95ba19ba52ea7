// A CSV opened by URL from another origin, as from a data server: the indexing pass
// and the decodes stream it in ranges (Range requests) and never hold it whole; a
// server that ignores Range still works (whole responses, read as streams).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { bookHistogram, openDemo, runGen, waitForRun, watchErrors } from './helpers';

const ROWS = 300_000; // five chunks of 64K rows
const NAME = 'events.csv';

/** x takes 0.00 … 9.99 in a fixed permutation, with a quoted, comma-holding text column. */
function table(): { csv: Buffer; xCounts: number[]; betas: number } {
  const lines = ['x,n,"label, quoted"'];
  const xCounts = new Array<number>(10).fill(0);
  let betas = 0;
  for (let i = 0; i < ROWS; i++) {
    const x = ((i * 7919) % 1000) / 100;
    const label = i % 3 === 1 ? '"beta, two"' : i % 3 === 0 ? 'alpha' : '"say ""gamma"""';
    if (i % 3 === 1) betas++;
    lines.push(`${x},${i % 13},${label}`);
    xCounts[Math.floor(x)]!++;
  }
  return { csv: Buffer.from(lines.join('\r\n') + '\r\n'), xCounts, betas };
}

interface DataServer { url: string; ranges: string[]; whole: number; close(): Promise<void> }

/** Serves one file with CORS (the page is cross-origin isolated), honouring Range unless told not to. */
async function serve(body: Buffer, ranges: boolean): Promise<DataServer> {
  const seen: string[] = [];
  let whole = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Range');
    res.setHeader('Access-Control-Expose-Headers', 'Content-Range, Content-Length, Accept-Ranges');
    if (req.method === 'OPTIONS') { res.writeHead(204).end(); return; }
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (ranges && m) {
      const start = Number(m[1]), end = m[2] ? Math.min(Number(m[2]), body.length - 1) : body.length - 1;
      seen.push(`${start}-${end}`);
      res.writeHead(206, {
        'Content-Type': 'text/csv', 'Accept-Ranges': 'bytes', 'Content-Length': end - start + 1,
        'Content-Range': `bytes ${start}-${end}/${body.length}`,
      });
      res.end(req.method === 'HEAD' ? undefined : body.subarray(start, end + 1));
      return;
    }
    whole++;
    res.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Length': body.length, ...(ranges ? { 'Accept-Ranges': 'bytes' } : {}) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${NAME}`, ranges: seen, get whole() { return whole; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

for (const ranges of [true, false]) {
  test(`a CSV by URL from another origin opens and its histograms fill (${ranges ? 'Range requests' : 'a server without Range'})`, async ({ page }) => {
    const errors = watchErrors(page);
    const { csv, xCounts, betas } = table();
    const server = await serve(csv, ranges);
    try {
      await openDemo(page);
      await page.getByTestId('url-input').fill(server.url);
      await page.getByTestId('open-url').click();
      await expect(page.getByTestId('dataset-name')).toHaveText(NAME, { timeout: 30_000 });
      await expect(page.getByTestId('dataset-rows')).toHaveAttribute('data-rows', String(ROWS));
      const gen = await runGen(page);
      await bookHistogram(page, 'hx', ['x', 10, 0, 10]);
      await waitForRun(page, gen);
      const h = await page.evaluate(() => window.sift!.result!.histograms.find((x) => x.name === 'hx')!);
      expect(h.bins).toEqual(xCounts);
      // the quoted text column decodes too: a cut on it counts the rows that hold it
      const gen2 = await runGen(page);
      await page.getByTestId('new-cut-name').fill('b');
      await page.getByTestId('new-cut-expr').fill('`label, quoted` == "beta, two"');
      await page.getByTestId('add-cut').click();
      await waitForRun(page, gen2);
      const cut = await page.evaluate(() => window.sift!.result!.cutflow.find((c) => c.name === 'b')!);
      expect(cut.pass).toBe(betas);
      if (ranges) {
        // read in ranges, none of them the whole file
        expect(server.ranges.length).toBeGreaterThan(1);
        expect(server.ranges).not.toContain(`0-${csv.length - 1}`);
      } else {
        expect(server.whole).toBeGreaterThan(0);
      }
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  });
}
