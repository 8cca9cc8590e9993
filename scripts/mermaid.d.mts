// Types of scripts/mermaid.mjs for the TypeScript tests.

export type MermaidParse = { ok: true; type: string } | { ok: false; error: string };

export declare function mermaidBlocks(markdown: string): string[];
export declare function parseCharts(charts: string[]): Promise<MermaidParse[]>;
export declare function screenshotCharts(charts: string[], png: string, size?: { width?: number; height?: number }): Promise<void>;
