// `blue hook install [--hook pre-commit|pre-merge-commit]` and `blue hook run <hook>`

import type { CheckedExport, HookInstalled, Linter } from '../app/hook.js';
import type { CommandSpec } from './spec.js';

/** A commit's hook, and a merge's (git runs pre-merge-commit, not pre-commit, for a merge it commits). */
const HOOK_CHOICES = ['pre-commit', 'pre-merge-commit'];

function said(result: HookInstalled): string {
  const lines: Record<HookInstalled['action'], string> = {
    created: `Installed blue's ${result.hook} hook: ${result.file}`,
    added: `Added blue's ${result.hook} hook to ${result.file}; the hook's own commands still run after it`,
    updated: `Updated blue's ${result.hook} hook in ${result.file}`,
    unchanged: `blue's ${result.hook} hook is already installed in ${result.file}; nothing changed`,
    chained: `Installed blue's ${result.hook} hook: ${result.file}; it runs the hook that was there (now ${result.kept}) after blue's check`,
  };
  return [lines[result.action], ...(result.action === 'created' && result.kept ? [`The hook that was there is kept as ${result.kept}.`] : [])].join('\n');
}

export const hookInstallCommand: CommandSpec = {
  path: ['hook', 'install'],
  description: "install blue's git hooks (pre-commit and pre-merge-commit) beside any hook already there (idempotent; honours core.hooksPath)",
  options: [{ flags: '--hook <name>', description: 'only this git hook (default: both)', choices: HOOK_CHOICES }],
  examples: ['blue hook install', 'blue hook install --hook pre-commit', 'blue hook install --json'],
  async run(ctx, _args, o) {
    const [{ installHooks }, { GitRepository }] = await Promise.all([import('../app/hook.js'), import('../platform/git.js')]);
    const results = await installHooks({ hook: o.hook, files: new GitRepository(ctx.ports.workspace.root), invocation: ctx.self ?? {} });
    const warnings = [...new Set(results.flatMap((r) => r.warnings))];
    for (const warning of warnings) ctx.ports.log.warn(warning);
    // The first hook's answer stands at the top, as it did when blue had one hook; `hooks` has each.
    return { json: { ...results[0], warnings, hooks: results }, human: results.map(said).join('\n') };
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
  args: [['<hook>', 'the git hook: pre-commit or pre-merge-commit', HOOK_CHOICES]],
  description: 'what the installed git hook runs: refuse a commit whose staged dialogue records are invalid or out of date',
  examples: ['blue hook run pre-commit', 'blue hook run pre-commit --json'],
  async run(ctx, [hook], _o) {
    // The Markdown parser behind lint loads here, once a commit stages a dialogue file (cli/hook-gate.ts
    // answers every other commit before this).
    const [{ runHook }, { GitRepository }, { lintDocument }] = await Promise.all([import('../app/hook.js'), import('../platform/git.js'), import('../domain/lint.js')]);
    const lint: Linter = lintDocument;
    const git = new GitRepository(ctx.ports.workspace.root);
    const report = await runHook(ctx.ports, { hook: hook!, index: git, hooks: git, lint });
    for (const warning of report.warnings) ctx.ports.log.warn(warning);
    const refusing = report.checked.filter((c) => c.refuses);
    const noted = report.checked.filter((c) => !c.refuses && c.findings.length);
    const n = report.checked.length;
    const unverified = report.checked.filter((c) => c.current === null).length;
    const merge = report.hook === 'pre-merge-commit';
    const human = [
      ...(refusing.length
        ? [
            `blue ${report.hook}: ${merge ? 'merge' : 'commit'} refused: ${refusing.length === 1 ? '1 dialogue export is' : `${refusing.length} dialogue exports are`} ${refusing.some((c) => c.missing) ? 'missing, ' : ''}out of date or invalid${n > refusing.length ? ` (${n} checked)` : ''}.`,
            ...refusing.flatMap(describe),
            // git leaves the merge in progress, its result in the index: the fix is staged into it.
            ...(merge ? ['The merge is not committed yet: after the fix, `git commit` concludes it (or `git merge --abort` gives it up).'] : []),
          ]
        : n
          ? [`blue ${report.hook}: ${n} dialogue export${n === 1 ? '' : 's'} checked: ${unverified ? `nothing refused (${unverified} not in the store, so linted only)` : 'current'}.`]
          : []),
      ...(noted.length ? ['Lint warnings (not refused):', ...noted.flatMap(describe)] : []),
    ].join('\n');
    return { json: report, human, exitCode: report.refused ? 1 : 0 };
  },
};
