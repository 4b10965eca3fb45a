import { defineConfig } from 'vitest/config'

const serverProject = (engine: 'pglite' | 'postgres') => ({
  extends: true as const,
  test: {
    name: `server-${engine}`,
    include: ['test/server/**/*.test.ts'],
    // The real server process always runs on its embedded database: one engine's run proves it.
    exclude: engine === 'postgres' ? ['test/server/foundation/process.test.ts'] : [],
    environment: 'node',
    env: { NABIJ_TEST_DB: engine },
    globalSetup: ['test/setup/databases.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})

export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/shared/**/*.test.ts', 'test/repo/**/*.test.ts'], environment: 'node' } },
      serverProject('pglite'),
      // With TEST_DATABASE_URL the same server files run against PostgreSQL too.
      ...(process.env.TEST_DATABASE_URL ? [serverProject('postgres')] : []),
      {
        // The web app's own Vite config (Vue, and the locale loader that splits resident and staff texts).
        extends: './web/vite.config.ts',
        test: { name: 'web', include: ['test/web/**/*.test.ts'], environment: 'happy-dom' },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
