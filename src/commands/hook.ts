// `blue hook install [--hook pre-commit]` and `blue hook run <hook>`

import type { CheckedExport, Linter } from '../app/hook.js';
import type { CommandSpec } from './spec.js';

const HOOK_CHOICES = ['pre-commit'];

export const hookInstallCommand: CommandSpec = {
  path: ['hook', 'install'],
  description: "install blue's git hook beside any hook already there (idempotent; honours core.hooksPath)",
  options: [{ flags: '--hook <name>', description: 'the git hook', default: 'pre-commit', choices: HOOK_CHOICES }],
  examples: ['blue hook install', 'blue hook install --json'],
  async run(ctx, _args, o) {
    const [{ installHook }, { GitRepository }] = await Promise.all([import('../app/hook.js'), import('../platform/git.js')]);
    const result = await installHook({ hook: o.hook, files: new GitRepository(ctx.ports.workspace.root), invocation: ctx.self ?? {} });
    for (const warning of result.warnings) ctx.ports.log.warn(warning);
    const said: Record<typeof result.action, string> = {
      created: `Installed blue's ${result.hook} hook: ${result.file}`,
      added: `Added blue's ${result.hook} hook to ${result.file}; the hook's own commands still run after it`,
      updated: `Updated blue's ${result.hook} hook in ${result.file}`,
      unchanged: `blue's ${result.hook} hook is already installed in ${result.file}; nothing changed`,
      chained: `Installed blue's ${result.hook} hook: ${result.file}; it runs the hook that was there (now ${result.kept}) after blue's check`,
    };
    return {
      json: result,
      human: [said[result.action], ...(result.action === 'created' && result.kept ? [`The hook that was there is kept as ${result.kept}.`] : [])].join('\n'),
    };
  },
};

function describe(c: CheckedExport): string[] {
  const lines: string[] = [];
  if (c.current === false) {
    const why = c.because === 'deleted'
      ? 'deleted by the commit, but its dialogue stays and is not abandoned, and such a dialogue is committed with its record (to drop the dialogue too, delete its folder or abandon it first)'
      : c.missing
      ? 'not in the commit: it stages the dialogue\'s store.json, and a dialogue that is not abandoned is committed with its record'
      : c.because === 'staged'
        ? 'differs from what `blue dialogue export` writes now'
        : 'the commit changes its store.json, and this export no longer matches it';
    lines.push(`  ${c.file}: ${why}`);
  }
  for (const f of c.findings) lines.push(`  ${c.file}:${f.line}: ${f.severity} [${f.rule}] ${f.message}`);
  if (c.current === null && c.fix.length) lines.push(`    fix: edit it by hand (${c.fix[0]} lists the problems), then ${c.fix[1]}`);
  else if (c.fix.length) lines.push(`    fix: ${c.fix.join(' && ')}`);
  return lines;
}

export const hookRunCommand: CommandSpec = {
  path: ['hook', 'run'],
  args: [['<hook>', 'the git hook: pre-commit', HOOK_CHOICES]],
  description: 'what the installed git hook runs: refuse a commit whose staged dialogue records are invalid or out of date',
  examples: ['blue hook run pre-commit', 'blue hook run pre-commit --json'],
  async run(ctx, [hook], _o) {
    // The Markdown parser behind lint loads here, once a commit stages a dialogue file (cli/hook-gate.ts
    // answers every other commit before this).
    const [{ runHook }, { GitRepository }, { lintDocument }] = await Promise.all([import('../app/hook.js'), import('../platform/git.js'), import('../domain/lint.js')]);
    const lint: Linter = lintDocument;
    const report = await runHook(ctx.ports, { hook: hook!, index: new GitRepository(ctx.ports.workspace.root), lint });
    for (const warning of report.warnings) ctx.ports.log.warn(warning);
    const refusing = report.checked.filter((c) => c.refuses);
    const noted = report.checked.filter((c) => !c.refuses && c.findings.length);
    const n = report.checked.length;
    const unverified = report.checked.filter((c) => c.current === null).length;
    const human = [
      ...(refusing.length
        ? [
            `blue ${report.hook}: commit refused: ${refusing.length === 1 ? '1 dialogue export is' : `${refusing.length} dialogue exports are`} ${refusing.some((c) => c.missing) ? 'missing, ' : ''}out of date or invalid${n > refusing.length ? ` (${n} checked)` : ''}.`,
            ...refusing.flatMap(describe),
          ]
        : n
          ? [`blue ${report.hook}: ${n} dialogue export${n === 1 ? '' : 's'} checked: ${unverified ? `nothing refused (${unverified} not in the store, so linted only)` : 'current'}.`]
          : []),
      ...(noted.length ? ['Lint warnings (not refused):', ...noted.flatMap(describe)] : []),
    ].join('\n');
    return { json: report, human, exitCode: report.refused ? 1 : 0 };
  },
};
