// Finds the runs, builds each report and writes the files. The only module here that writes to disk.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Config } from './config.ts';
import { DEFAULT_ANALYSIS } from './analysis/timeline.ts';
import { buildModel, type ReportModel } from './build-model.ts';
import { htmlPage } from './render/html-page.ts';
import { indexPage } from './render/index-page.ts';
import { markdown } from './render/markdown.ts';
import { runCharts } from './render/run-charts.ts';
import { stack } from './render/svg-chart.ts';

export const scenarioOf = (path: string) => basename(path).replace(/\.ndjson(\.gz)?$/, '');

export async function findRuns(resultsDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(resultsDir);
  } catch {
    return [];
  }
  const runs = names.filter((n) => /\.ndjson(\.gz)?$/.test(n)).sort();
  // Prefer the plain file when both x.ndjson and x.ndjson.gz exist.
  return runs.filter((n) => !(n.endsWith('.gz') && runs.includes(n.slice(0, -3)))).map((n) => join(resultsDir, n));
}

export interface Written {
  scenario: string;
  files: string[];
  model: ReportModel;
}

export async function writeReport(ndjsonPath: string, cfg: Config, outDir = dirname(ndjsonPath)): Promise<Written> {
  const scenario = scenarioOf(ndjsonPath);
  const model = await buildModel({
    scenario,
    ndjsonPath,
    summaryPath: join(dirname(ndjsonPath), `${scenario}.json`),
    prometheusUrl: cfg.prometheusUrl,
    prometheusWindowS: cfg.prometheusWindowS,
    options: { ...DEFAULT_ANALYSIS, recoverSeconds: cfg.recoverSeconds },
  });
  await mkdir(outDir, { recursive: true });
  const figure = `${scenario}.svg`;
  const files = [join(outDir, `${scenario}.html`), join(outDir, `${scenario}.md`), join(outDir, figure)];
  const charts = runCharts(model);
  await writeFile(files[0] as string, htmlPage(model));
  await writeFile(files[1] as string, markdown(model, figure));
  await writeFile(files[2] as string, stack(charts));
  return { scenario, files, model };
}

export async function writeIndex(models: readonly ReportModel[], outDir: string): Promise<string> {
  const path = join(outDir, 'index.html');
  await writeFile(path, indexPage(models));
  return path;
}
