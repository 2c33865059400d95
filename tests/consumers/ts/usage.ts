// TypeScript consumer (strict): the package's declarations under moduleResolution node16 and bundler.
import { init, loadDataset, reportToRows, SegmetryError, type AnalysisReport, type ReportRow } from 'segmetry';
import { createClient } from 'segmetry/client';
import { mount } from 'segmetry/report';

export async function run(bytes: Uint8Array): Promise<ReportRow[]> {
  await init({ wasm: new URL('https://example.invalid/segmetry_bg.wasm') });
  using ds = await loadDataset(bytes);
  const report: AnalysisReport = ds.analyze({ variant: 'variant', control: 'A' });
  await using client = await createClient();
  await using remote = await client.load(bytes);
  const size: number = (await remote.segment("country = 'FI'")).size;
  if (size < 0) throw new SegmetryError('INTERNAL', 'impossible');
  void mount;
  return reportToRows(report);
}
