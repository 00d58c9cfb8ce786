import { defineConfig } from 'vitest/config';

// Card code runs in HubSpot's extension worker (no DOM); @hubspot/ui-extensions/testing renders
// it in plain Node, so no jsdom.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
  },
});
