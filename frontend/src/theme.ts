import { Badge, createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // A visible ring whenever focus comes from the keyboard.
  focusRing: 'auto',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  defaultRadius: 'sm',
  components: {
    // Badges carry short words (roles, statuses, levels) that must stay readable: a table
    // column gives them their full width instead of cutting them to "SEC…".
    Badge: Badge.extend({
      styles: { root: { minWidth: 'max-content', flexShrink: 0 } },
    }),
  },
});
