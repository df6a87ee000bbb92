import { Badge } from '@mantine/core';
import { LEVEL_LABELS, LEVELS, PRIVILEGE_LABELS, rank, type Level, type PrivilegeName } from '../lib/privileges';

/** One privilege level as a badge: grey for none, blue in between, green at the top. */
export function LevelBadge({ privilege, level }: { privilege: PrivilegeName; level: Level }) {
  const r = rank(privilege, level);
  const top = LEVELS[privilege].length - 1;
  const color = r <= 0 ? 'gray' : r === top ? 'teal' : 'blue';
  return (
    <Badge color={color} variant={r <= 0 ? 'outline' : 'light'} aria-label={`${PRIVILEGE_LABELS[privilege]}: ${LEVEL_LABELS[level]}`}>
      {LEVEL_LABELS[level] ?? level}
    </Badge>
  );
}
