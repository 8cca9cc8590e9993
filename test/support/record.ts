// Reads a dialogue record (blue's export or the reference's) into the figures it states, so two
// records can be compared figure by figure rather than byte by byte.

export interface PanelRow {
  agent: string;
  source?: string;
  score: string;
}

export interface RecordFigures {
  title: string;
  header: Record<string, string>;
  sections: string[];
  domain: string;
  question: string;
  poolTiers: Record<string, string>;
  panels: { round: number; size: number; label?: string; rows: PanelRow[] }[];
  scoreboard: string[][];
  total: string;
}

const cells = (line: string) => line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());

export function readRecord(markdown: string): RecordFigures {
  const lines = markdown.split('\n');
  const header: Record<string, string> = {};
  for (const line of lines) {
    const m = /^\*\*([^*]+)\*\*:\s*(.*)$/.exec(line);
    if (m && !(m[1] in header)) header[m[1]] = m[2].trim();
  }
  const sections = lines.filter((l) => l.startsWith('## ')).map((l) => l.slice(3).replace(/\s*\(\d+\/\d+\)$/, ''));
  const poolTiers: Record<string, string> = {};
  const panels: RecordFigures['panels'] = [];
  const scoreboard: string[][] = [];
  let section = '';
  let current: RecordFigures['panels'][number] | undefined;
  for (const line of lines) {
    if (line.startsWith('## ')) {
      section = line.slice(3);
      current = undefined;
      continue;
    }
    const heading = /^### Round (\d+) \((\d+) experts?(?: — (.*))?\)$/.exec(line);
    if (heading) {
      current = { round: Number(heading[1]), size: Number(heading[2]), ...(heading[3] ? { label: heading[3] } : {}), rows: [] };
      panels.push(current);
      continue;
    }
    if (!line.startsWith('|') || /^\|[-\s|]+\|$/.test(line)) continue;
    const c = cells(line);
    if (section === 'Expert Pool' && c[0] !== 'Tier') poolTiers[c[0]] = c[1];
    if (section === 'Expert Panels by Round' && current && c[0] !== 'Agent') {
      current.rows.push(c.length === 4 ? { agent: c[0], source: c[2], score: c[3] } : { agent: c[0], score: c[2] });
    }
    // blue marks a figure that rests on a judge override with `*` (the note under the table says more).
    if (section === 'ALIGNMENT Scoreboard' && c[0] !== 'Round') scoreboard.push(c.map((x) => x.replace(/\*$/, '')));
  }
  return {
    title: lines[0].replace(/^# /, ''),
    header,
    sections,
    domain: header['Domain'],
    question: header['Question'],
    poolTiers,
    panels,
    scoreboard,
    total: header['Total ALIGNMENT'],
  };
}
