// Imported first by main.tsx: zod 4 probes `new Function` (for its JIT) when object schemas are built, and a strict
// CSP reports that probe as a violation even though zod catches it (S7). jitless skips the probe and the JIT.
import { z } from 'zod';

z.config({ jitless: true });
