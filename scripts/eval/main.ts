import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadCliConfig } from '../../src/standalone/cli-config';
import { createConsultant } from '../../src/standalone/consultant';
import { chooseAgent, loadAgents } from '../../src/standalone/load-agents';
import { reviewDesign } from '../../src/standalone/review-design';
import { groundReview } from '../../src/consultation/grounding';
import { ReviewSchema } from '../../src/domain/review';
import {
  type CaseScore,
  EvalCasesSchema,
  RecordingSchema,
  renderScores,
  scoreCase,
  type Totals,
  totalsOf,
} from './score';

/**
 * `npm run eval [-- --agent NAME] [--model ID] [--out FILE] [--save-baseline] [--record]`: reviews each design of
 * eval/ with the real consultation (ANTHROPIC_API_KEY set) and scores the reviews against the flaws
 * planted in it; without a key it scores the recorded answers in eval/recordings, which tests the scorer
 * and the pipeline and measures no model. Results go to a JSON file and a table, compared with
 * eval/baseline.json.
 */
const EVAL_DIR = path.resolve(__dirname, '..', '..', 'eval');

interface Results {
  measured: string;
  at: string;
  scores: CaseScore[];
  totals: Totals;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      agent: { type: 'string' },
      model: { type: 'string' },
      out: { type: 'string' },
      'save-baseline': { type: 'boolean', default: false },
      record: { type: 'boolean', default: false },
    },
  });
  const { cases } = EvalCasesSchema.parse(JSON.parse(readFileSync(path.join(EVAL_DIR, 'cases.json'), 'utf8')));
  const live = Boolean(process.env.ANTHROPIC_API_KEY?.trim());
  const scores: CaseScore[] = [];
  let measured = 'measured no model (recorded answers)';
  if (live) {
    const config = loadCliConfig(process.env, process.cwd());
    const agent = chooseAgent(await loadAgents(config.agentsDir, config.models), values.agent, config.defaultAgent);
    const model = values.model?.trim() || agent.model;
    measured = `measured ${model} with the ${agent.name} agent`;
    const consultant = createConsultant(config.anthropic);
    for (const c of cases) {
      const bytes = readFileSync(path.join(EVAL_DIR, c.design));
      const started = Date.now();
      const result = await reviewDesign(consultant, {
        design: { name: path.basename(c.design), bytes },
        agent,
        model,
        context: config.context,
      });
      const measuredRun = { model: result.model, ms: Date.now() - started, usage: result.usage };
      scores.push(scoreCase(c, result.review, measuredRun));
      // --record keeps this answer as the recording CI scores from now on.
      if (values.record) {
        const file = path.join(EVAL_DIR, 'recordings', `${c.id}.json`);
        writeFileSync(file, `${JSON.stringify({ ...measuredRun, review: result.review }, null, 2)}\n`);
      }
      process.stderr.write(`${c.id}: done\n`);
    }
  } else {
    for (const c of cases) {
      const recording = RecordingSchema.parse(
        JSON.parse(readFileSync(path.join(EVAL_DIR, 'recordings', `${c.id}.json`), 'utf8')),
      );
      const design = readFileSync(path.join(EVAL_DIR, c.design), 'utf8');
      const review = groundReview(ReviewSchema.parse(recording.review), design);
      scores.push(scoreCase(c, review, recording));
    }
  }
  const results: Results = { measured, at: new Date().toISOString(), scores, totals: totalsOf(scores) };
  const baselineFile = path.join(EVAL_DIR, 'baseline.json');
  const baseline = readBaseline(baselineFile);
  process.stdout.write(`${measured}\n\n${renderScores(scores, baseline?.totals)}\n`);
  if (baseline) process.stdout.write(`baseline: ${baseline.measured}, ${baseline.at}\n`);
  const out = values.out ?? path.join(EVAL_DIR, 'results', 'latest.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`results written to ${out}\n`);
  if (values['save-baseline']) {
    writeFileSync(baselineFile, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`saved as the baseline: ${baselineFile}\n`);
  }
}

const BaselineSchema = z.object({
  measured: z.string(),
  at: z.string(),
  totals: z.object({
    designs: z.number(),
    recall: z.number(),
    unplanted: z.number(),
    verdictAgreement: z.number(),
    grounded: z.number(),
    outputTokens: z.number(),
    costUsd: z.number(),
    ms: z.number(),
  }),
});

/** The last saved baseline; none yet is fine, a broken one is an error worth seeing. */
function readBaseline(file: string): z.infer<typeof BaselineSchema> | undefined {
  if (!existsSync(file)) return undefined;
  return BaselineSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`eval failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
