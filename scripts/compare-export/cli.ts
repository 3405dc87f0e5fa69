/**
 * npm run compare-export -- OLD.json NEW.json
 * Compares two builds' dist/tunables.json: what was added, removed, folded into a generic
 * device-model attribute, or changed. Exit 0 when nothing was removed or changed beyond the
 * folding (a refactor that must not change the facts), 1 otherwise.
 */
import { Command } from 'commander';
import { diffExports } from '#core/export-diff.ts';
import { tunablesExport } from '#core/schemas/export.ts';
import { readJsonChecked } from '../lib/json.ts';
import { runCli } from '../lib/stage.ts';

const program = new Command()
  .name('npm run compare-export --')
  .description('Compare two exports of the site (dist/tunables.json) tunable by tunable.')
  .argument('<old>', 'the export before')
  .argument('<new>', 'the export after')
  .parse();
const [before, after] = program.args as [string, string];

await runCli(
  program,
  async () => diffExports(await readJsonChecked(before, tunablesExport, 'tunables export'), await readJsonChecked(after, tunablesExport, 'tunables export')),
  (diff) => {
    const folded = new Map<string, number>();
    for (const { to } of diff.folded) folded.set(to, (folded.get(to) ?? 0) + 1);
    const lines = [
      `added: ${diff.added.length}`,
      ...diff.added.map((path) => `  + ${path}`),
      `folded into a generic attribute: ${diff.folded.length}`,
      ...[...folded].map(([to, count]) => `  ${count} → ${to}`),
      `removed: ${diff.removed.length}`,
      ...diff.removed.map((path) => `  - ${path}`),
      `changed: ${diff.changed.length}`,
      ...diff.changed.map(({ path, fields }) => `  ~ ${path}: ${fields.join(', ')}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return diff.removed.length + diff.changed.length === 0 ? 0 : 1;
  },
);
