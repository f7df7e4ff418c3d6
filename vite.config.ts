/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // Deps used only inside the worker would otherwise trigger a dev-server reload on first use (toolchain P3).
  optimizeDeps: { include: ['papaparse', 'jszip', '@e965/xlsx'] },
  build: { target: 'es2022', sourcemap: true },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}', 'emulator/**/*.test.ts'],
    // Packed and edited rows compare as the { line, cells } they read as (decision 154).
    setupFiles: ['src/test-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
