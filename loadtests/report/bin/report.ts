// CLI: node dist/report/report.js [options] [results/<scenario>.ndjson ...]   (see USAGE)
import { USAGE, parseConfig } from '../src/config.ts';
import { findRuns, writeIndex, writeReport } from '../src/write-reports.ts';
import { headline } from '../src/render/findings.ts';

// `report | head` closes stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

async function main(): Promise<number> {
  const cfg = parseConfig(process.argv.slice(2), process.env);
  if (cfg === 'help') {
    console.log(USAGE);
    return 0;
  }
  const inputs = cfg.files.length > 0 ? cfg.files : await findRuns(cfg.resultsDir);
  if (inputs.length === 0) {
    console.error(`report: no *.ndjson or *.ndjson.gz in ${cfg.resultsDir}/ (run an experiment first, e.g. make loadtest-baseline)`);
    return 2;
  }
  const models = [];
  let failures = 0;
  for (const path of inputs) {
    try {
      const w = await writeReport(path, cfg, cfg.files.length > 0 ? cfg.resultsDir : undefined);
      models.push(w.model);
      console.log(`${w.scenario}: ${headline(w.model)}\n  -> ${w.files.join(', ')}`);
      if (w.model.serverError) console.error(`  ! ${w.model.serverError}`);
    } catch (e) {
      failures++;
      console.error(`report: ${(e as Error).message}`);
    }
  }
  if (cfg.index && models.length > 0) console.log(`index -> ${await writeIndex(models, cfg.resultsDir)}`);
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`report: ${(e as Error).message}`);
    process.exit(2);
  },
);
