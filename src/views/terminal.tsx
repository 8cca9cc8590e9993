// What both live views draw with: the window's size as it changes, and a line of styled pieces cut to the
// window's width (ink truncates with string-width, so wide characters and any script count right).

import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { printable } from '../domain/values.js';
import type { Line, Tone } from './format.js';

/** Where a view draws: a terminal's output stream (its size may be missing off a terminal). */
export interface Screen {
  columns?: number;
  rows?: number;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

const FALLBACK = { columns: 80, rows: 24 };

/** The window's columns and rows, drawn again on every resize. */
export function useScreenSize(screen: Screen): { columns: number; rows: number } {
  const read = () => ({ columns: screen.columns || FALLBACK.columns, rows: screen.rows || FALLBACK.rows });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const resized = () => setSize(read());
    screen.on('resize', resized);
    return () => void screen.off('resize', resized);
  }, [screen]);
  return size;
}

/** A state that changes every `ms` while `active`, so that elapsed times move on their own. */
export function useTick(active: boolean, ms = 1000): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
  return tick;
}

type InkStyle = { color?: string; bold?: boolean; dimColor?: boolean };

const TONES: Record<Tone, InkStyle> = {
  plain: {},
  title: { bold: true, color: 'blueBright' },
  heading: { bold: true },
  dim: { dimColor: true },
  good: { color: 'green' },
  warn: { color: 'yellow' },
  bad: { color: 'red' },
  accent: { color: 'cyan' },
};

/** Without colour only boldness stays: NO_COLOR asks for no colour, not for a flat screen. */
function styleOf(tone: Tone | undefined, color: boolean): InkStyle {
  const style = TONES[tone ?? 'plain'];
  return color ? style : style.bold ? { bold: true } : {};
}

/**
 * Lines, each cut with an ellipsis to the width of what holds them (the window, for a live view); an empty
 * line is one blank row. No width of their own: right after a resize ink draws once more with the old
 * layout, and lines as wide as the old window would wrap on the new one and leave rows behind.
 */
export function Lines({ lines, color }: { lines: readonly Line[]; color: boolean }) {
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.length === 0
            ? ' '
            : line.map((piece, j) => (
                <Text key={j} {...styleOf(piece.tone, color)}>
                  {printable(piece.text)}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
}
